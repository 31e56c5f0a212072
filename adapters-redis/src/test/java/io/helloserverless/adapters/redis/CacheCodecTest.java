package io.helloserverless.adapters.redis;

import static io.helloserverless.core.testing.TestFiles.T0;
import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helloserverless.core.port.FileCache.CachedFile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheCodecTest {

    private static final int LIMIT = CacheSettings.defaults().maxContentBytes();

    private final CacheCodec codec = new CacheCodec("hs:v2:");

    private static CachedFile withContent(String name, String content) {
        return new CachedFile(file(name, content, T0), Optional.of(text(content)));
    }

    private static final Instant EXPIRES_AT = T0.plusSeconds(5);

    private static Optional<CachedFile> roundTrip(CachedFile file) {
        Optional<CacheCodec.Entry> entry =
                CacheCodec.decode(CacheCodec.encode(new CacheCodec.Entry(CacheSettings.defaults().cacheable(file), EXPIRES_AT)));
        entry.ifPresent(decoded -> assertEquals(EXPIRES_AT, decoded.expiresAt()));
        return entry.map(CacheCodec.Entry::file);
    }

    @Test
    void roundTripsAUnicodeNameWithItsContent() {
        CachedFile file = withContent("résumé 履歴書 🗂️ \"quoted\" <b>&amp;:x.txt", "héllo ✓ 👋\nline two");

        assertEquals(Optional.of(file), roundTrip(file));
    }

    @Test
    void roundTripsEmptyContentAsContent() {
        CachedFile file = withContent("empty.txt", "");

        assertEquals(Optional.of(file), roundTrip(file));
    }

    @Test
    void roundTripsMetadataWithoutContent() {
        CachedFile file = new CachedFile(file("meta.txt", "not cached", T0), Optional.empty());

        assertEquals(Optional.of(file), roundTrip(file));
    }

    @Test
    void keepsContentExactlyAtTheLimit() {
        CachedFile file = withContent("at-limit.txt", "é".repeat(LIMIT / 2));

        assertEquals(Optional.of(file), roundTrip(file));
    }

    @Test
    void keepsOnlyTheMetadataOfContentAboveTheLimit() {
        CachedFile file = withContent("above-limit.txt", "x".repeat(LIMIT + 1));

        assertEquals(Optional.of(new CachedFile(file.metadata(), Optional.empty())), roundTrip(file));
    }

    @Test
    void readsAMarkerAsNoFile() {
        assertEquals(Optional.empty(), CacheCodec.decode(CacheCodec.marker()));
    }

    @Test
    void rejectsValuesItDidNotWrite() {
        byte[] cut = Arrays.copyOf(CacheCodec.encode(new CacheCodec.Entry(withContent("a.txt", "abc"), EXPIRES_AT)), 10);

        assertThrows(IllegalArgumentException.class, () -> CacheCodec.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> CacheCodec.decode(cut));
        assertThrows(IllegalArgumentException.class,
                () -> CacheCodec.decode("{\"name\":\"a\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class,
                () -> CacheCodec.decode(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, '{', '}'}));
    }

    @Test
    void keysANameByItsUtf8BytesAfterTheNamespace() {
        assertArrayEquals("hs:v2:file:grüße:1.txt".getBytes(StandardCharsets.UTF_8), codec.key(name("grüße:1.txt")));
    }

    @Test
    void givesNamesThatLookAlikeDifferentKeys() {
        byte[] composed = codec.key(name("caf\u00e9"));
        byte[] decomposed = codec.key(name("cafe\u0301"));

        assertFalse(Arrays.equals(composed, decomposed));
    }
}
