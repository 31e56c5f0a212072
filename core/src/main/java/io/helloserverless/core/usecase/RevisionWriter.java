package io.helloserverless.core.usecase;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.MetadataStore;
import java.lang.System.Logger.Level;
import java.util.function.BooleanSupplier;

/**
 * The write protocol of docs/design.md, section 4.1: the blob first (a new key per write), then the
 * conditional metadata commit, so metadata never points at a blob that was not written.
 *
 * <p>The writer never removes a blob that a commit may still point at
 * (docs/adr/0012-orphan-collection.md). A commit that failed with an exception may still land: the
 * store may have lost the answer of a commit that went through, or a server session the client
 * gave up on may commit after the writer looked. So after an exception the writer only asks
 * whether its revision is stored (then the write succeeded) and otherwise leaves the new blob to
 * {@link CollectOrphanBlobs}, which removes it once no write can be in flight for it. A commit
 * that answered false can be the second run of a statement whose first run committed (the store
 * runs a write again when the server ended the session): the writer asks the same question, and
 * only when the store says its revision is not there, and no attempt is left that could still
 * put it there ({@link MetadataStore}), removes the new blob at once.
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
            // while the answer was on its way), and the commit may land after this look: never
            // remove the blob here.
            if (whetherStored(revision) == Stored.YES) {
                return true;
            }
            LOG.log(Level.WARNING, "outcome of a failed commit unknown; blob {0} left to the orphan collection",
                    revision.blobKey());
            throw failure;
        }
        if (committed) {
            return true;
        }
        switch (whetherStored(revision)) {
            case YES -> {
                return true;
            }
            case NO -> discard(revision.blobKey());
            case UNKNOWN -> LOG.log(Level.WARNING,
                    "could not check a refused commit; blob {0} left to the orphan collection", revision.blobKey());
        }
        return false;
    }

    /** Removes a blob nobody points at any more; the orphan collection removes it if this fails. */
    void discard(BlobKey key) {
        try {
            blobs.delete(key);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not remove blob {0}; the orphan collection will: {1}", key, e.toString());
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
