package io.helloserverless.core.usecase;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.MetadataStore;
import java.lang.System.Logger.Level;
import java.util.function.BooleanSupplier;

/**
 * The write protocol of DESIGN section 4: the blob first (a new key per write), then the
 * conditional metadata commit. A commit that did not happen removes the new blob, so metadata
 * never points at a blob that was not written and no blob outlives a failed write for longer
 * than the storage lifecycle rule.
 */
final class RevisionWriter {

    private static final System.Logger LOG = System.getLogger(RevisionWriter.class.getName());

    private final MetadataStore metadata;
    private final BlobStore blobs;

    RevisionWriter(MetadataStore metadata, BlobStore blobs) {
        this.metadata = metadata;
        this.blobs = blobs;
    }

    /** Returns true when {@code revision} is committed, false when the condition of {@code commit} failed. */
    boolean write(FileMetadata revision, TextContent content, BooleanSupplier commit) {
        blobs.put(revision.blobKey(), content);
        boolean committed;
        try {
            committed = commit.getAsBoolean();
        } catch (RuntimeException failure) {
            // The failure may have been reported after the commit went through (a connection lost
            // while the answer was on its way): ask the store before touching the blob.
            switch (whetherStored(revision)) {
                case YES -> {
                    return true;
                }
                case NO -> discard(revision.blobKey());
                case UNKNOWN -> LOG.log(Level.WARNING,
                        "outcome of a failed commit unknown; keeping blob {0} for the lifecycle rule", revision.blobKey());
            }
            throw failure;
        }
        if (!committed) {
            discard(revision.blobKey());
        }
        return committed;
    }

    /** Removes a blob nobody points at any more; the lifecycle rule removes it if this fails. */
    void discard(BlobKey key) {
        try {
            blobs.delete(key);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not remove blob {0}; the lifecycle rule will: {1}", key, e.toString());
        }
    }

    private enum Stored { YES, NO, UNKNOWN }

    private Stored whetherStored(FileMetadata revision) {
        try {
            return metadata.findLive(revision.name(), revision.updatedAt())
                    .filter(stored -> stored.etag().equals(revision.etag()))
                    .isPresent() ? Stored.YES : Stored.NO;
        } catch (RuntimeException e) {
            return Stored.UNKNOWN;
        }
    }
}
