package io.helloserverless.core.domain;

import java.time.Duration;
import java.util.Objects;

/** How long a file lives after its last write. The S3 lifecycle rule mirrors the default. */
public record RetentionPolicy(Duration retention) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    public RetentionPolicy {
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
    }

    public static RetentionPolicy defaults() {
        return new RetentionPolicy(DEFAULT_RETENTION);
    }
}
