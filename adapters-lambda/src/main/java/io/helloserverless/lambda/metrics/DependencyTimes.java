package io.helloserverless.lambda.metrics;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.port.MetadataStore;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * The time one request spends in each dependency, for the request's log line. One per execution
 * environment (a Dagger singleton), which serves one request at a time; the handler resets it
 * when a request starts. The ports are wrapped where the wiring binds them ({@link #metadata},
 * {@link #blobs}, {@link #cache}); the Secrets Manager client times itself. The database's time
 * includes the login read when a connection opens.
 */
@Singleton
public final class DependencyTimes {

    /** Each dependency and the name of its metric. */
    public enum Dependency {
        DATABASE("DatabaseTime"), STORAGE("StorageTime"), CACHE("CacheTime"), SECRETS("SecretsTime");

        private final String metric;

        Dependency(String metric) {
            this.metric = metric;
        }

        public String metric() {
            return metric;
        }
    }

    private final Map<Dependency, LongAdder> nanos = new EnumMap<>(Dependency.class);
    private final Set<Dependency> used = EnumSet.noneOf(Dependency.class);
    /** What last answered a read of this request: the metadata store, or a cache tier. */
    private volatile String source;

    @Inject
    public DependencyTimes() {
        for (Dependency dependency : Dependency.values()) {
            nanos.put(dependency, new LongAdder());
        }
    }

    public <T> T time(Dependency dependency, Supplier<T> call) {
        long started = System.nanoTime();
        try {
            return call.get();
        } finally {
            nanos.get(dependency).add(System.nanoTime() - started);
        }
    }

    private void time(Dependency dependency, Runnable call) {
        time(dependency, () -> {
            call.run();
            return null;
        });
    }

    /** Zero for every dependency: a request starts. */
    public void reset() {
        nanos.values().forEach(LongAdder::reset);
        source = null;
    }

    /**
     * Where this request's read was answered from, for its log line: {@code store} once the
     * metadata store was asked (after a cache miss, or a hit that could not be used), else the
     * cache tier that reported its hit ({@link #answeredBy}); {@code null} if nothing was read.
     */
    public String source() {
        return source;
    }

    /** A cache tier ({@code local_cache} or {@code shared_cache}) answered a lookup. */
    public void answeredBy(String tier) {
        source = tier;
    }

    /** Milliseconds spent so far in each dependency this function uses. */
    public Map<Dependency, Double> millis() {
        Map<Dependency, Double> millis = new EnumMap<>(Dependency.class);
        synchronized (used) {
            used.forEach(dependency -> millis.put(dependency, nanos.get(dependency).sum() / 1e6));
        }
        return millis;
    }

    /** Marks {@code dependency} as one this function uses, so that its time is reported, zero included. */
    public void uses(Dependency dependency) {
        synchronized (used) {
            used.add(dependency);
        }
    }

    public MetadataStore metadata(MetadataStore store) {
        uses(Dependency.DATABASE);
        return new MetadataStore() {
            @Override
            public Optional<FileMetadata> findLive(FileName name, Instant now) {
                source = "store";
                return time(Dependency.DATABASE, () -> store.findLive(name, now));
            }

            @Override
            public boolean insert(FileMetadata file) {
                return time(Dependency.DATABASE, () -> store.insert(file));
            }

            @Override
            public boolean replace(FileMetadata current, FileMetadata next) {
                return time(Dependency.DATABASE, () -> store.replace(current, next));
            }

            @Override
            public boolean delete(FileMetadata current) {
                return time(Dependency.DATABASE, () -> store.delete(current));
            }

            @Override
            public List<FileMetadata> listLive(String prefix, Optional<FileName> after, int limit, Instant now) {
                return time(Dependency.DATABASE, () -> store.listLive(prefix, after, limit, now));
            }

            @Override
            public List<FileMetadata> purgeExpired(Instant now, int maxFiles) {
                return time(Dependency.DATABASE, () -> store.purgeExpired(now, maxFiles));
            }

            @Override
            public java.util.Set<BlobKey> referencedBlobs(java.util.Collection<BlobKey> keys) {
                return time(Dependency.DATABASE, () -> store.referencedBlobs(keys));
            }
        };
    }

    public BlobStore blobs(BlobStore store) {
        uses(Dependency.STORAGE);
        return new BlobStore() {
            @Override
            public void put(BlobKey key, TextContent content) {
                time(Dependency.STORAGE, () -> store.put(key, content));
            }

            @Override
            public Optional<TextContent> get(BlobKey key) {
                return time(Dependency.STORAGE, () -> store.get(key));
            }

            @Override
            public void delete(BlobKey key) {
                time(Dependency.STORAGE, () -> store.delete(key));
            }

            @Override
            public List<StoredBlob> list(Optional<BlobKey> after, int limit) {
                return time(Dependency.STORAGE, () -> store.list(after, limit));
            }
        };
    }

    public FileCache cache(FileCache cache) {
        uses(Dependency.CACHE);
        return new FileCache() {
            @Override
            public Lookup get(FileName name) {
                return time(Dependency.CACHE, () -> cache.get(name));
            }

            @Override
            public void put(CachedFile file, Instant loadedAt) {
                time(Dependency.CACHE, () -> cache.put(file, loadedAt));
            }

            @Override
            public void invalidate(FileName name) {
                time(Dependency.CACHE, () -> cache.invalidate(name));
            }
        };
    }
}
