package io.helloserverless.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What the service knows about one revision of a file.
 *
 * <p>{@code version} counts the writes since the file was created (1 for a new file).
 * {@code etag} names the revision ({@link ETag}); the blob of a revision is stored under a key
 * derived from it. Instants carry millisecond precision, which every store keeps exactly.
 */
public record FileMetadata(
        FileName name,
        long size,
        String sha256,
        ETag etag,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        BlobKey blobKey) {

    public FileMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(blobKey, "blobKey");
        if (size < 0 || version < 1) {
            throw new IllegalArgumentException("size must be >= 0 and version >= 1");
        }
    }

    /** The metadata of a new file written now, expiring {@code retention} after this write. */
    public static FileMetadata firstRevision(FileName name, TextContent content, Instant now, Duration retention) {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        ETag revision = ETag.next();
        return new FileMetadata(name, content.size(), content.sha256(), revision, 1, at, at,
                at.plus(retention), BlobKey.forRevision(revision));
    }

    /** The metadata of the write that replaces this revision's content now. */
    public FileMetadata nextRevision(TextContent content, Instant now, Duration retention) {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        ETag revision = ETag.next();
        return new FileMetadata(name, content.size(), content.sha256(), revision, version + 1,
                createdAt, at, at.plus(retention), BlobKey.forRevision(revision));
    }

    /** A file is gone from the API from the instant it expires. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
