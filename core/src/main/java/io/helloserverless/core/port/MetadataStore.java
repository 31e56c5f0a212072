package io.helloserverless.core.port;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the metadata of files is kept. Every write is conditional, so that of two racing
 * writers exactly one succeeds. A file whose {@code expiresAt} is not after {@code now} is
 * invisible to every read and cannot be updated. Failures are reported as
 * {@link io.helloserverless.core.domain.DependencyFailureException}.
 *
 * <p>Every successful write records exactly one {@link io.helloserverless.core.domain.ChangeEvent}
 * per file it changed, atomically with the change (in the same transaction), for the
 * {@link ChangeEventOutbox} to deliver: {@code created} for an insert, {@code updated} for a
 * replace (both with the new revision, at its {@code updatedAt}), {@code deleted} for a delete
 * (with the removed revision, at the store's clock) and {@code expired} for each purged file
 * (with the purged revision, at its {@code expiresAt}). A refused write (returns false) or a
 * failed one (throws before committing) records none.
 *
 * <p>A write that returns false leaves no attempt of its own behind that could still apply it
 * later (it may have been applied by an earlier attempt of the same call, which the caller can
 * see by reading). A write that throws may have been applied, or may still be applied shortly
 * after it threw, for as long as a statement may run on the server.
 */
public interface MetadataStore {

    /** The file with this name, unless there is none or it has expired. */
    Optional<FileMetadata> findLive(FileName name, Instant now);

    /**
     * Stores a new file. Returns false, changing nothing, if a live file already has the name; an
     * expired file of that name is replaced.
     */
    boolean insert(FileMetadata file);

    /**
     * Replaces {@code current} with {@code next} (same name) only if the stored revision is still
     * {@code current} (same version and ETag) and it has not expired by {@code next.updatedAt()}.
     * Returns whether it did.
     */
    boolean replace(FileMetadata current, FileMetadata next);

    /** Deletes the file only if the stored revision is still {@code current}. Returns whether it did. */
    boolean delete(FileMetadata current);

    /**
     * Up to {@code limit} live files whose names start with {@code prefix} and sort after
     * {@code after} (when present), ascending by the UTF-8 bytes of their names. The cost must not
     * grow with how far into the listing the page is.
     */
    List<FileMetadata> listLive(String prefix, Optional<FileName> after, int limit, Instant now);

    /** Removes up to {@code maxFiles} files that expired at or before {@code now}, and returns them. */
    List<FileMetadata> purgeExpired(Instant now, int maxFiles);

    /**
     * Which of {@code keys} (at most {@link #MAX_BLOB_KEYS_PER_CHECK}) a stored file points at,
     * whether it is live or expired and not purged yet: the blobs that must be kept. One query.
     */
    Set<BlobKey> referencedBlobs(Collection<BlobKey> keys);

    /** The most keys {@link #referencedBlobs} takes at once. */
    int MAX_BLOB_KEYS_PER_CHECK = 1000;
}
