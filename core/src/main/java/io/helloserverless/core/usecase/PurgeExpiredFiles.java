package io.helloserverless.core.usecase;

import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.MetadataStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Removes the metadata of expired files in bounded batches, so one run holds no long
 * transaction, and their blobs (best effort: {@link CollectOrphanBlobs} removes what is left).
 * The cache needs no invalidation: a cached entry past its expiry is never served.
 */
public final class PurgeExpiredFiles {

    private final MetadataStore metadata;
    private final Clock clock;
    private final RevisionWriter writer;

    public PurgeExpiredFiles(MetadataStore metadata, BlobStore blobs, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
        this.writer = new RevisionWriter(metadata, blobs);
    }

    /** Purges at most {@code batchSize * maxBatches} files and returns how many it purged. */
    public int purge(int batchSize, int maxBatches) {
        if (batchSize < 1 || maxBatches < 1) {
            throw new IllegalArgumentException("batchSize and maxBatches must be positive");
        }
        Instant now = clock.instant();
        int purged = 0;
        for (int batch = 0; batch < maxBatches; batch++) {
            List<FileMetadata> expired = metadata.purgeExpired(now, batchSize);
            for (FileMetadata file : expired) {
                writer.discard(file.blobKey());
            }
            purged += expired.size();
            if (expired.size() < batchSize) {
                break;
            }
        }
        return purged;
    }
}
