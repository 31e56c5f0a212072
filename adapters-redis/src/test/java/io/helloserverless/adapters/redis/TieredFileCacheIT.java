package io.helloserverless.adapters.redis;

import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.FileCache.CachedFile;
import io.helloserverless.core.port.FileCache.Lookup;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two caches on the machine's Redis stand for two execution environments. */
class TieredFileCacheIT {

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeEverythingOpened() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private TieredFileCache environment(CacheSettings settings) {
        TieredFileCache cache = new TieredFileCache(settings, TestRedis.machine(), Clock.systemUTC());
        opened.add(cache);
        return cache;
    }

    private static CachedFile cached(String name, String content) {
        return new CachedFile(file(name, content, Instant.now()), Optional.of(text(content)));
    }

    private static Lookup.Hit hit(Lookup lookup) {
        return assertInstanceOf(Lookup.Hit.class, lookup);
    }

    @Test
    void servesAFilePutByAnotherEnvironmentFromRedisThenFromMemory() {
        CacheSettings settings = TestRedis.isolated();
        TieredFileCache first = environment(settings);
        TieredFileCache second = environment(settings);
        CachedFile file = cached("shared.txt", "from the first environment ✓");

        first.put(file, Instant.now());

        assertEquals(Answer.hit(file, CacheTier.SHARED), Answer.of(second, file.metadata().name()));
        assertEquals(Answer.hit(file, CacheTier.LOCAL), Answer.of(second, file.metadata().name()));
    }

    @Test
    void refusesAPutThatRacedAnotherEnvironmentsInvalidation() {
        CacheSettings settings = TestRedis.isolated();
        TieredFileCache writer = environment(settings);
        TieredFileCache reader = environment(settings);
        Instant loadedAt = Instant.now();
        CachedFile stale = cached("raced.txt", "revision 1");

        writer.invalidate(stale.metadata().name());
        reader.put(stale, loadedAt);

        assertInstanceOf(Lookup.Miss.class, reader.get(stale.metadata().name()));
        assertInstanceOf(Lookup.Miss.class, environment(settings).get(stale.metadata().name()));
    }

    @Test
    void seesAnotherEnvironmentsInvalidationOnceItsLocalTtlHasPassed() throws InterruptedException {
        CacheSettings settings = TestRedis.isolated().withLocalTtl(Duration.ofMillis(500));
        TieredFileCache writer = environment(settings);
        TieredFileCache reader = environment(settings);
        CachedFile file = cached("changed.txt", "revision 1");
        writer.put(file, Instant.now());
        hit(reader.get(file.metadata().name()));

        writer.invalidate(file.metadata().name());
        Thread.sleep(settings.localTtl().plusMillis(100));

        assertInstanceOf(Lookup.Miss.class, reader.get(file.metadata().name()));
    }

    @Test
    void servesNoEntryPastItsMaxAgeCountedFromWhenItsDataWasLoaded() throws InterruptedException {
        CacheSettings settings = TestRedis.isolated()
                .withMaxAge(Duration.ofMillis(1_000))
                .withInvalidationWindow(Duration.ofSeconds(2));
        TieredFileCache filler = environment(settings);
        TieredFileCache reader = environment(settings);
        CachedFile file = cached("loaded-a-while-ago.txt", "revision 1");
        Instant loadedAt = Instant.now().minusMillis(700);

        filler.put(file, loadedAt);
        hit(reader.get(file.metadata().name()));
        TieredFileCache later = environment(settings);
        Thread.sleep(Duration.between(Instant.now(), loadedAt.plus(settings.maxAge())).plusMillis(100));

        assertInstanceOf(Lookup.Miss.class, filler.get(file.metadata().name()), "the filler's own L1");
        assertInstanceOf(Lookup.Miss.class, reader.get(file.metadata().name()), "the reader's L1");
        assertInstanceOf(Lookup.Miss.class, later.get(file.metadata().name()), "Redis");
    }

    @Test
    void keepsNamesThatLookAlikeApartInRedis() {
        CacheSettings settings = TestRedis.isolated();
        TieredFileCache first = environment(settings);
        TieredFileCache second = environment(settings);
        CachedFile composed = cached("caf\u00e9", "composed");
        CachedFile decomposed = cached("cafe\u0301", "decomposed");
        CachedFile emoji = cached("📁:file:x 𝄞", "astral");

        first.put(composed, Instant.now());
        first.put(decomposed, Instant.now());
        first.put(emoji, Instant.now());

        assertEquals(composed, hit(second.get(composed.metadata().name())).file());
        assertEquals(decomposed, hit(second.get(decomposed.metadata().name())).file());
        assertEquals(emoji, hit(second.get(emoji.metadata().name())).file());
    }

    @Test
    void storesEmptyContentAndOnlyTheMetadataOfContentAboveTheLimit() {
        CacheSettings settings = TestRedis.isolated();
        TieredFileCache first = environment(settings);
        TieredFileCache second = environment(settings);
        CachedFile empty = cached("empty.txt", "");
        CachedFile atLimit = cached("at-limit.txt", "ü".repeat(settings.maxContentBytes() / 2));
        CachedFile aboveLimit = cached("above-limit.txt", "x".repeat(settings.maxContentBytes() + 1));

        first.put(empty, Instant.now());
        first.put(atLimit, Instant.now());
        first.put(aboveLimit, Instant.now());

        assertEquals(Answer.hit(empty, CacheTier.SHARED), Answer.of(second, empty.metadata().name()));
        assertEquals(Answer.hit(atLimit, CacheTier.SHARED), Answer.of(second, atLimit.metadata().name()));
        assertEquals(Answer.hit(new CachedFile(aboveLimit.metadata(), Optional.empty()), CacheTier.SHARED),
                Answer.of(second, aboveLimit.metadata().name()));
    }

    @Test
    void treatsAValueItCannotReadAsAMissWithoutGivingUpOnRedis() throws Exception {
        CacheSettings settings = TestRedis.isolated();
        TieredFileCache cache = environment(settings);
        FileName name = name("garbled.txt");
        RedisSettings machine = TestRedis.machine();
        RedisClient client = RedisClient.create(RedisURI.create(machine.host(), machine.port()));
        opened.add(client::shutdown);
        try (StatefulRedisConnection<byte[], byte[]> raw = client.connect(ByteArrayCodec.INSTANCE)) {
            raw.sync().set(new CacheCodec(settings.namespace()).key(name),
                    "written by something else".getBytes(StandardCharsets.UTF_8), SetArgs.Builder.ex(30));
        }

        assertInstanceOf(Lookup.Miss.class, cache.get(name));
        cache.healthProbe().probe();
    }

    @Test
    void answersTheHealthProbeWhileRedisIsUp() {
        TieredFileCache cache = environment(TestRedis.isolated());

        assertDoesNotThrow(() -> cache.healthProbe().probe());
    }
}
