package io.helloserverless.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * What the service knows about one revision of a file.
 *
 * <p>{@code version} counts the writes since the file was created (1 for a new file).
 * {@code etag} is generated per write and never reused, so a stale ETag cannot match a file
 * that was deleted and created again; the blob of a revision is stored under a key derived
 * from the same value. Instants carry millisecond precision, which every store keeps exactly.
 */
public record FileMetadata(
        FileName name,
        long size,
        String sha256,
        String etag,
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
        String revision = newRevisionId();
        return new FileMetadata(name, content.size(), content.sha256(), revision, 1, at, at,
                at.plus(retention), BlobKey.forRevision(revision));
    }

    /** The metadata of the write that replaces this revision's content now. */
    public FileMetadata nextRevision(TextContent content, Instant now, Duration retention) {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        String revision = newRevisionId();
        return new FileMetadata(name, content.size(), content.sha256(), revision, version + 1,
                createdAt, at, at.plus(retention), BlobKey.forRevision(revision));
    }

    /** A file is gone from the API from the instant it expires. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    private static String newRevisionId() {
        UUID id = UUID.randomUUID();
        return HexFormat.of().toHexDigits(id.getMostSignificantBits())
                + HexFormat.of().toHexDigits(id.getLeastSignificantBits());
    }
}
