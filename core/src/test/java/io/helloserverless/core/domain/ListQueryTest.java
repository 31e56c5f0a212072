package io.helloserverless.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helloserverless.core.domain.InvalidInputException.Violation;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ListQueryTest {

    @Test
    void defaultsToTheFirstHundredOfEverything() {
        ListQuery query = ListQuery.parse(null, null, null);
        assertEquals("", query.prefix());
        assertEquals(100, query.limit());
        assertEquals(Optional.empty(), query.after());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1001", "abc", "1.5", "", "99999999999"})
    void rejectsALimitOutsideOneToAThousand(String limit) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ListQuery.parse(null, limit, null));
        assertEquals(Violation.INVALID_LIMIT, e.violation());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1000"})
    void acceptsTheLimitsOfTheRange(String limit) {
        assertEquals(Integer.parseInt(limit), ListQuery.parse(null, limit, null).limit());
    }

    @Test
    void rejectsAPrefixWithAControlCharacterOrTooLong() {
        assertEquals(Violation.INVALID_PREFIX,
                assertThrows(InvalidInputException.class, () -> ListQuery.parse("a\nb", null, null)).violation());
        assertEquals(Violation.INVALID_PREFIX,
                assertThrows(InvalidInputException.class, () -> ListQuery.parse("x".repeat(256), null, null)).violation());
    }

    @Test
    void readsBackTheCursorItIssued() {
        Cursor cursor = new Cursor(FileName.of("naïve 😀.txt"));

        assertEquals(Optional.of(cursor), ListQuery.parse(null, null, cursor.encode()).after());
    }

    @Test
    void issuesCursorsThatDoNotSpellOutTheName() {
        String token = new Cursor(FileName.of("secret-plan.txt")).encode();
        assertFalse(token.contains("secret"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "YWJj", "djE6", "djE6YS9i", "%%%"})
    void rejectsACursorItDidNotIssue(String token) {
        // YWJj = "abc" (no version), djE6 = "v1:" (empty name), djE6YS9i = "v1:a/b" (invalid name)
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ListQuery.parse(null, null, token));
        assertEquals(Violation.INVALID_CURSOR, e.violation());
    }

    @Test
    void rejectsACursorThatIsNotUtf8() {
        String token = Base64.getUrlEncoder().encodeToString(new byte[] {'v', '1', ':', (byte) 0xFF});
        assertThrows(InvalidInputException.class, () -> Cursor.decode(token));
    }
}
