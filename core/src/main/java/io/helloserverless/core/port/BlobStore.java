package io.helloserverless.core.port;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.TextContent;
import java.util.Optional;

/**
 * Where the contents of files are kept, under generated keys. A blob is written once and never
 * changed. Failures, including a blob whose bytes do not match the checksum taken when it was
 * written, are reported as {@link io.helloserverless.core.domain.DependencyFailureException}.
 */
public interface BlobStore {

    /** Stores the content durably under the key; when this returns, the blob can be read back. */
    void put(BlobKey key, TextContent content);

    /** The content stored under the key, if there is any. */
    Optional<TextContent> get(BlobKey key);

    /** Removes the blob; removing a missing blob is not an error. */
    void delete(BlobKey key);
}
