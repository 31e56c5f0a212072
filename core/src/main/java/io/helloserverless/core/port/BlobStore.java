package io.helloserverless.core.port;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.TextContent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the contents of files are kept, under generated keys. A blob is written once and never
 * changed. Failures, including a blob whose bytes do not match the checksum taken when it was
 * written, are reported as {@link io.helloserverless.core.domain.DependencyFailureException}.
 */
public interface BlobStore {

    /** A blob's key and the instant the store finished writing it, by the store's clock. */
    record StoredBlob(BlobKey key, Instant storedAt) {
        public StoredBlob {
            java.util.Objects.requireNonNull(key, "key");
            java.util.Objects.requireNonNull(storedAt, "storedAt");
        }
    }

    /** Stores the content durably under the key; when this returns, the blob can be read back. */
    void put(BlobKey key, TextContent content);

    /** The content stored under the key, if there is any. */
    Optional<TextContent> get(BlobKey key);

    /** Removes the blob; removing a missing blob is not an error. */
    void delete(BlobKey key);

    /**
     * Up to {@code limit} stored blobs whose keys sort after {@code after} (from the first when
     * empty), in ascending order of their keys' characters. Paging on with the last key of a page
     * visits every blob that exists for the whole walk once; a page shorter than {@code limit} is
     * the last. What the store holds under other keys than {@link BlobKey}s is left out.
     */
    List<StoredBlob> list(Optional<BlobKey> after, int limit);
}
