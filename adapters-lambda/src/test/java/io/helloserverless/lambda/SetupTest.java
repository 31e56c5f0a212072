package io.helloserverless.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SetupTest {

    @Test
    void aFunctionSwitchesNettyAndLettuceFlightRecorderEventsOff() {
        Properties properties = new Properties();

        Setup.withoutFlightRecorderEvents(properties);

        assertEquals(Map.of("io.netty.jfr.enabled", "false", "io.lettuce.core.jfr", "false"), properties);
    }

    @Test
    void anOperatorsOwnSettingWins() {
        Properties properties = new Properties();
        properties.setProperty("io.netty.jfr.enabled", "true");
        properties.setProperty("io.lettuce.core.jfr", "true");

        Setup.withoutFlightRecorderEvents(properties);

        assertEquals(Map.of("io.netty.jfr.enabled", "true", "io.lettuce.core.jfr", "true"), properties);
    }
}
