package io.helloserverless.core.domain;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One committed change of a file, as its consumers are told of it. {@code id} is unique per
 * event and stays the same when the event is sent again, so a receiver deduplicates on it.
 * {@code etag}, {@code version}, {@code size} and {@code sha256} are those of the revision the
 * change wrote, or, for a deletion or an expiry, of the revision it removed. {@code sequence}
 * grows with the order in which the changes of one file were committed.
 */
public record ChangeEvent(
        UUID id,
        Type type,
        FileName name,
        ETag etag,
        long version,
        long size,
        String sha256,
        Instant occurredAt,
        long sequence) {

    /** What happened to the file. */
    public enum Type {
        CREATED, UPDATED, DELETED, EXPIRED;

        /** The word used on the wire and in the database: {@code created}, {@code updated}, ... */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Type ofWireName(String wireName) {
            return valueOf(wireName.toUpperCase(Locale.ROOT));
        }
    }

    public ChangeEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
