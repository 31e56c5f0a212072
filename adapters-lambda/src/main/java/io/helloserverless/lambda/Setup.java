package io.helloserverless.lambda;

import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.Overrides;
import io.helloserverless.lambda.wiring.Warmup;
import java.util.Objects;

/**
 * What a function is built with. In AWS ({@link #lambda()}): the configuration from environment
 * variables, nothing overridden, its line per request on standard output, and its dependencies
 * warmed up during an on-demand init. A process that builds functions itself says what it gives.
 */
public record Setup(Config config, Overrides overrides, RequestLog log, boolean warmUp) {

    public Setup {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(log, "log");
    }

    /** What the Lambda entry points (the handlers' constructors without arguments) are built with. */
    public static Setup lambda() {
        return new Setup(Config.fromEnvironment(), Overrides.none(), RequestLog.toStandardOutput(), Warmup.wantedAtInit());
    }

    /** For a process that builds functions itself: no warm-up, its dependencies may be down on purpose. */
    public static Setup of(Config config, Overrides overrides, RequestLog log) {
        return new Setup(config, overrides, log, false);
    }
}
