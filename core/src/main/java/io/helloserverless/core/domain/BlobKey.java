package io.helloserverless.core.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/** Where a blob is stored: generated per write, never derived from a file name. */
public record BlobKey(String value) {

    private static final Pattern SHAPE = Pattern.compile("files/[0-9a-f]{32}");

    public BlobKey {
        Objects.requireNonNull(value, "value");
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("not a generated blob key: " + value);
        }
    }

    /** Whether {@code value} has the shape of a generated key: what a store may hold beside is not the service's. */
    public static boolean isBlobKey(String value) {
        return value != null && SHAPE.matcher(value).matches();
    }

    /** The key of the blob written by the revision {@code revision}. */
    public static BlobKey forRevision(ETag revision) {
        return new BlobKey("files/" + revision.id());
    }

    @Override
    public String toString() {
        return value;
    }
}
