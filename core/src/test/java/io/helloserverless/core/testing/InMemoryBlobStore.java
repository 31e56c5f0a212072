package io.helloserverless.core.testing;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.BlobStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** The blob store in memory, stamping blobs with its clock, with switches to make each operation fail. */
public final class InMemoryBlobStore implements BlobStore {

    private record Blob(byte[] bytes, Instant storedAt) {
    }

    private final ConcurrentSkipListMap<BlobKey, Blob> blobs =
            new ConcurrentSkipListMap<>(Comparator.comparing(BlobKey::value));
    private final Clock clock;
    private volatile boolean failPuts;
    private volatile boolean failGets;
    private volatile boolean failDeletes;
    private volatile boolean failLists;
    private final AtomicInteger gets = new AtomicInteger();

    public InMemoryBlobStore() {
        this(Clock.systemUTC());
    }

    public InMemoryBlobStore(Clock clock) {
        this.clock = clock;
    }

    public void failPuts(boolean fail) {
        failPuts = fail;
    }

    public void failGets(boolean fail) {
        failGets = fail;
    }

    public void failDeletes(boolean fail) {
        failDeletes = fail;
    }

    public void failLists(boolean fail) {
        failLists = fail;
    }

    /** How many gets were asked for, failed ones included. */
    public int gets() {
        return gets.get();
    }

    public Map<BlobKey, byte[]> blobs() {
        return blobs.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().bytes()));
    }

    @Override
    public void put(BlobKey key, TextContent content) {
        if (failPuts) {
            throw new DependencyFailureException("blob store", "injected put failure");
        }
        blobs.put(key, new Blob(content.toByteArray(), clock.instant()));
    }

    @Override
    public Optional<TextContent> get(BlobKey key) {
        gets.incrementAndGet();
        if (failGets) {
            throw new DependencyFailureException("blob store", "injected get failure");
        }
        return Optional.ofNullable(blobs.get(key)).map(blob -> TextContent.ofStored(blob.bytes().clone()));
    }

    @Override
    public void delete(BlobKey key) {
        if (failDeletes) {
            throw new DependencyFailureException("blob store", "injected delete failure");
        }
        blobs.remove(key);
    }

    @Override
    public List<StoredBlob> list(Optional<BlobKey> after, int limit) {
        if (failLists) {
            throw new DependencyFailureException("blob store", "injected list failure");
        }
        var tail = after.isPresent() ? blobs.tailMap(after.get(), false) : blobs;
        List<StoredBlob> page = new ArrayList<>();
        for (var entry : tail.entrySet()) {
            if (page.size() == limit) {
                break;
            }
            page.add(new StoredBlob(entry.getKey(), entry.getValue().storedAt()));
        }
        return page;
    }
}
