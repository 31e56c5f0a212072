package io.helloserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalOptionsTest {

    @Test
    void writesAreDurableUnlessTurnedOff() {
        assertTrue(LocalOptions.parse(new String[0], Map.of()).durable());
        assertFalse(LocalOptions.parse(new String[] {"--durable=false"}, Map.of()).durable());
        assertFalse(LocalOptions.parse(new String[0], Map.of("HS_DURABLE", "FALSE")).durable());
        assertTrue(LocalOptions.parse(new String[] {"--durable=true"}, Map.of("HS_DURABLE", "false")).durable(),
                "the flag wins over the variable");
    }

    @Test
    void refusesADurabilityThatIsNeitherTrueNorFalse() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> LocalOptions.parse(new String[] {"--durable=yes"}, Map.of()));
        assertEquals("--durable must be true or false", refused.getMessage());
    }

    @Test
    void takesTheFrontsLimitsFromFlagsOrVariablesWithDefaults() {
        LocalOptions defaults = LocalOptions.parse(new String[0], Map.of());
        assertEquals(1024, defaults.maxConnections());
        assertEquals(30, defaults.idleTimeoutSeconds());
        assertEquals(4096, defaults.maxRequestLineBytes());
        assertEquals(16 * 1024, defaults.maxHeaderBytes());

        LocalOptions set = LocalOptions.parse(new String[] {"--max-connections=8", "--max-request-line=512",
                "--max-header-bytes=2048"}, Map.of("HS_IDLE_TIMEOUT", "9"));
        assertEquals(8, set.maxConnections());
        assertEquals(9, set.idleTimeoutSeconds());
        assertEquals(512, set.maxRequestLineBytes());
        assertEquals(2048, set.maxHeaderBytes());
    }

    @Test
    void refusesALimitBelowOne() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> LocalOptions.parse(new String[] {"--max-connections=0"}, Map.of()));
        assertEquals("--max-connections must be at least 1", refused.getMessage());
    }
}
