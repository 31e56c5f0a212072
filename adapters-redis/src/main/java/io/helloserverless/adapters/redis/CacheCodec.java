package io.helloserverless.adapters.redis;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.FileCache.CachedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * Redis keys and values. A key is a fixed prefix (the namespace, then {@code file:}) followed by
 * the name's UTF-8 bytes: UTF-8 is injective, so two names never share a key, whatever they contain.
 * A value is one kind byte, then (for a file) the length of the metadata JSON, the JSON, and the
 * raw content bytes when the content is cached; an invalidation marker is the kind byte alone.
 */
final class CacheCodec {

    private static final byte MARKER = 0;
    private static final byte METADATA_ONLY = 1;
    private static final byte WITH_CONTENT = 2;
    private static final byte[] MARKER_VALUE = {MARKER};

    /** Instants as ISO-8601 text: exact to the nanosecond, and readable in {@code redis-cli}. */
    private static final Gson GSON = new GsonBuilder()
            .disableHtmlEscaping()
            .registerTypeAdapter(FileName.class, asString(FileName::value, FileName::of))
            .registerTypeAdapter(BlobKey.class, asString(BlobKey::value, BlobKey::new))
            .registerTypeAdapter(Instant.class, asString(Instant::toString, Instant::parse))
            .create();

    private final byte[] keyPrefix;

    CacheCodec(String namespace) {
        this.keyPrefix = (namespace + "file:").getBytes(StandardCharsets.UTF_8);
    }

    byte[] key(FileName name) {
        byte[] suffix = name.utf8();
        byte[] key = Arrays.copyOf(keyPrefix, keyPrefix.length + suffix.length);
        System.arraycopy(suffix, 0, key, keyPrefix.length, suffix.length);
        return key;
    }

    static byte[] marker() {
        return MARKER_VALUE.clone();
    }

    static byte[] encode(CachedFile file) {
        byte[] json = GSON.toJson(file.metadata()).getBytes(StandardCharsets.UTF_8);
        ByteBuffer content = file.content().map(TextContent::asByteBuffer).orElse(ByteBuffer.allocate(0));
        return ByteBuffer.allocate(1 + Integer.BYTES + json.length + content.remaining())
                .put(file.content().isPresent() ? WITH_CONTENT : METADATA_ONLY)
                .putInt(json.length)
                .put(json)
                .put(content)
                .array();
    }

    /**
     * The file a value holds, or empty for an invalidation marker.
     *
     * @throws IllegalArgumentException when the value was not written by {@link #encode} or {@link #marker}
     */
    static Optional<CachedFile> decode(byte[] value) {
        try {
            return read(ByteBuffer.wrap(value));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a value this cache wrote", e);
        }
    }

    private static Optional<CachedFile> read(ByteBuffer value) {
        byte kind = value.get();
        if (kind == MARKER && !value.hasRemaining()) {
            return Optional.empty();
        }
        if (kind != METADATA_ONLY && kind != WITH_CONTENT) {
            throw new IllegalStateException("unknown kind of value: " + kind);
        }
        byte[] json = new byte[value.getInt()];
        value.get(json);
        FileMetadata metadata = GSON.fromJson(new String(json, StandardCharsets.UTF_8), FileMetadata.class);
        byte[] content = new byte[value.remaining()];
        value.get(content);
        if (metadata == null || (kind == METADATA_ONLY && content.length > 0)) {
            throw new IllegalStateException("the value does not hold what its kind says");
        }
        return Optional.of(new CachedFile(metadata,
                kind == WITH_CONTENT ? Optional.of(TextContent.ofStored(content)) : Optional.empty()));
    }

    private static <T> TypeAdapter<T> asString(Function<T, String> write, Function<String, T> read) {
        return new TypeAdapter<T>() {
            @Override
            public void write(JsonWriter out, T value) throws IOException {
                out.value(write.apply(value));
            }

            @Override
            public T read(JsonReader in) throws IOException {
                return read.apply(in.nextString());
            }
        }.nullSafe();
    }
}
