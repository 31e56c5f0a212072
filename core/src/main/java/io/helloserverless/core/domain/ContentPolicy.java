package io.helloserverless.core.domain;

/**
 * How large a file may be. The default is 1 MiB; the ceiling keeps a file, base64-encoded in a
 * Lambda response, below the 6 MB synchronous payload limit.
 */
public record ContentPolicy(int maxBytes) {

    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;
    public static final int CEILING_BYTES = 4 * 1024 * 1024;

    public ContentPolicy {
        if (maxBytes < 0 || maxBytes > CEILING_BYTES) {
            throw new IllegalArgumentException(
                    "maxBytes must be between 0 and " + CEILING_BYTES + ", was " + maxBytes);
        }
    }

    public static ContentPolicy defaults() {
        return new ContentPolicy(DEFAULT_MAX_BYTES);
    }
}
