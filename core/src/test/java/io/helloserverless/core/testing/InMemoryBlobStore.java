package io.helloserverless.core.testing;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.BlobStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The blob store in memory, with switches to make each operation fail. */
public final class InMemoryBlobStore implements BlobStore {

    private final Map<BlobKey, byte[]> blobs = new ConcurrentHashMap<>();
    private volatile boolean failPuts;
    private volatile boolean failGets;
    private volatile boolean failDeletes;

    public void failPuts(boolean fail) {
        failPuts = fail;
    }

    public void failGets(boolean fail) {
        failGets = fail;
    }

    public void failDeletes(boolean fail) {
        failDeletes = fail;
    }

    public Map<BlobKey, byte[]> blobs() {
        return Map.copyOf(blobs);
    }

    @Override
    public void put(BlobKey key, TextContent content) {
        if (failPuts) {
            throw new DependencyFailureException("blob store", "injected put failure");
        }
        blobs.put(key, content.toByteArray());
    }

    @Override
    public Optional<TextContent> get(BlobKey key) {
        if (failGets) {
            throw new DependencyFailureException("blob store", "injected get failure");
        }
        return Optional.ofNullable(blobs.get(key)).map(bytes -> TextContent.ofStored(bytes.clone()));
    }

    @Override
    public void delete(BlobKey key) {
        if (failDeletes) {
            throw new DependencyFailureException("blob store", "injected delete failure");
        }
        blobs.remove(key);
    }
}
