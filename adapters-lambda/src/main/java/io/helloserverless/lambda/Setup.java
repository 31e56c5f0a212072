package io.helloserverless.lambda;

import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.Overrides;
import io.helloserverless.lambda.wiring.Warmup;
import java.util.Objects;
import java.util.Properties;

/**
 * What a function is built with. In AWS ({@link #lambda()}): the configuration from environment
 * variables, nothing overridden, its line per request on standard output, its dependencies
 * warmed up during an on-demand init, and no JFR events from Netty and Lettuce. A process that builds functions itself says what it gives.
 */
public record Setup(Config config, Overrides overrides, RequestLog log, boolean warmUp) {

    public Setup {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(log, "log");
    }

    /** What the Lambda entry points (the handlers' constructors without arguments) are built with. */
    public static Setup lambda() {
        withoutFlightRecorderEvents(System.getProperties());
        return new Setup(Config.fromEnvironment(), Overrides.none(), RequestLog.toStandardOutput(), Warmup.wantedAtInit());
    }

    /**
     * Netty and Lettuce register their JFR events when they load, and registering loads the JDK's
     * Flight Recorder (about 160 classes, 0.1 s of a cold start on one core, while Redis connects).
     * Nobody records a Lambda function's JVM, so the functions switch the events off; a value the
     * operator set (in {@code JAVA_TOOL_OPTIONS}) wins.
     */
    static void withoutFlightRecorderEvents(Properties properties) {
        properties.putIfAbsent("io.netty.jfr.enabled", "false");
        properties.putIfAbsent("io.lettuce.core.jfr", "false");
    }

    /** For a process that builds functions itself: no warm-up, its dependencies may be down on purpose. */
    public static Setup of(Config config, Overrides overrides, RequestLog log) {
        return new Setup(config, overrides, log, false);
    }
}
