package io.helloserverless.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.InvalidInputException.Violation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FileNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "report.txt", "..a", "a..", "...", "with space", "ünïcødé ✓", "😀", "a:b*c?\"<>|"})
    void acceptsNamesWithinTheRules(String value) {
        assertEquals(value, FileName.of(value).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "/", "a\\b", "tab\there", "new\nline", "nul\0", "del\u007f", "c1\u0085"})
    void rejectsNamesOutsideTheRules(String value) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FileName.of(value));
        assertEquals(Violation.INVALID_NAME, e.violation());
    }

    @Test
    void rejectsAnUnpairedSurrogate() {
        assertThrows(InvalidInputException.class, () -> FileName.of("a\uD800b"));
        assertThrows(InvalidInputException.class, () -> FileName.of("a\uDC00"));
    }

    @Test
    void countsTheLimitInUtf8BytesNotCharacters() {
        FileName.of("a".repeat(255));
        FileName.of("é".repeat(127) + "a");
        FileName.of("😀".repeat(63) + "abc");

        assertThrows(InvalidInputException.class, () -> FileName.of("a".repeat(256)));
        assertThrows(InvalidInputException.class, () -> FileName.of("é".repeat(128)));
        assertThrows(InvalidInputException.class, () -> FileName.of("😀".repeat(64)));
    }

    @Test
    void sortsByUtf8BytesWhereJavaStringsWouldNot() {
        FileName replacementCharacter = FileName.of("\uFFFD");
        FileName emoji = FileName.of("😀");

        assertTrue("\uFFFD".compareTo("😀") > 0, "UTF-16 order puts the emoji first");
        assertTrue(replacementCharacter.compareTo(emoji) < 0, "UTF-8 order puts it last");
    }
}
