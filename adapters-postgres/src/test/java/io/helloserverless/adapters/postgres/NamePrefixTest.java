package io.helloserverless.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NamePrefixTest {

    private static final String LAST = new String(Character.toChars(Character.MAX_CODE_POINT));

    @Test
    void boundsAPrefixByIncrementingItsLastCodePoint() {
        assertEquals(Optional.of("reportt"), NamePrefix.upperBound("reports"));
        assertEquals(Optional.of("50%`"), NamePrefix.upperBound("50%_"));
        assertEquals(Optional.of("ê"), NamePrefix.upperBound("é"));
        assertEquals(Optional.of("\uD83D\uDE01"), NamePrefix.upperBound("\uD83D\uDE00"));
    }

    @Test
    void stepsOverTheSurrogateRange() {
        assertEquals(Optional.of("a\uE000"), NamePrefix.upperBound("a\uD7FF"));
    }

    @Test
    void dropsTrailingLastCodePointsThatCannotBeIncremented() {
        assertEquals(Optional.of("b"), NamePrefix.upperBound("a" + LAST + LAST));
    }

    @Test
    void leavesAPrefixWithoutUpperBoundUnbounded() {
        assertEquals(Optional.empty(), NamePrefix.upperBound(""));
        assertEquals(Optional.empty(), NamePrefix.upperBound(LAST));
    }
}
