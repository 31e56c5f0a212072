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
}
