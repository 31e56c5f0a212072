package io.helloserverless.adapters.redis;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import io.helloserverless.core.domain.ETag;
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
 * A value is one kind byte, then (for a file) the instant it expires (epoch milliseconds), the
 * length of the metadata JSON, the JSON, and the raw content bytes when the content is cached; an
 * invalidation marker is the kind byte alone. The expiry travels inside the value because Redis's
 * own TTL cannot be trusted to bound an entry's age: a {@code SET} delayed in a frozen socket
 * starts its TTL only when it finally runs.
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
            .registerTypeAdapter(ETag.class, asString(ETag::id, ETag::new))
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

    /** A cached file and the instant after which no tier may serve it. */
    record Entry(CachedFile file, Instant expiresAt) {
    }

    static byte[] encode(Entry entry) {
        CachedFile file = entry.file();
        byte[] json = GSON.toJson(file.metadata()).getBytes(StandardCharsets.UTF_8);
        ByteBuffer content = file.content().map(TextContent::asByteBuffer).orElse(ByteBuffer.allocate(0));
        return ByteBuffer.allocate(1 + Long.BYTES + Integer.BYTES + json.length + content.remaining())
                .put(file.content().isPresent() ? WITH_CONTENT : METADATA_ONLY)
                .putLong(entry.expiresAt().toEpochMilli())
                .putInt(json.length)
                .put(json)
                .put(content)
                .array();
    }

    /**
     * The entry a value holds, or empty for an invalidation marker.
     *
     * @throws IllegalArgumentException when the value was not written by {@link #encode} or {@link #marker}
     */
    static Optional<Entry> decode(byte[] value) {
        try {
            return read(ByteBuffer.wrap(value));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a value this cache wrote", e);
        }
    }

    private static Optional<Entry> read(ByteBuffer value) {
        byte kind = value.get();
        if (kind == MARKER && !value.hasRemaining()) {
            return Optional.empty();
        }
        if (kind != METADATA_ONLY && kind != WITH_CONTENT) {
            throw new IllegalStateException("unknown kind of value: " + kind);
        }
        Instant expiresAt = Instant.ofEpochMilli(value.getLong());
        byte[] json = new byte[value.getInt()];
        value.get(json);
        FileMetadata metadata = GSON.fromJson(new String(json, StandardCharsets.UTF_8), FileMetadata.class);
        byte[] content = new byte[value.remaining()];
        value.get(content);
        if (metadata == null || (kind == METADATA_ONLY && content.length > 0)) {
            throw new IllegalStateException("the value does not hold what its kind says");
        }
        return Optional.of(new Entry(new CachedFile(metadata,
                kind == WITH_CONTENT ? Optional.of(TextContent.ofStored(content)) : Optional.empty()), expiresAt));
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
