package io.helloserverless.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helloserverless.core.domain.InvalidInputException.Violation;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TextContentTest {

    private static final ContentPolicy TEN_BYTES = new ContentPolicy(10);

    @Test
    void acceptsAnEmptyFile() {
        assertEquals(0, TextContent.of(new byte[0], TEN_BYTES).size());
    }

    @Test
    void acceptsContentOfExactlyTheMaximumSize() {
        assertEquals(10, TextContent.of(bytes("0123456789"), TEN_BYTES).size());
    }

    @Test
    void rejectsContentOneByteOverTheMaximum() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TextContent.of(bytes("0123456789a"), TEN_BYTES));
        assertEquals(Violation.CONTENT_TOO_LARGE, e.violation());
    }

    @Test
    void defaultsToOneMebibyte() {
        byte[] max = new byte[1024 * 1024];
        Arrays.fill(max, (byte) 'a');
        TextContent.of(max, ContentPolicy.defaults());
        assertThrows(InvalidInputException.class, () -> TextContent.of(Arrays.copyOf(max, max.length + 1), ContentPolicy.defaults()));
    }

    @Test
    void rejectsANulByte() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TextContent.of(new byte[] {'a', 0, 'b'}, TEN_BYTES));
        assertEquals(Violation.CONTENT_NOT_TEXT, e.violation());
    }

    @Test
    void rejectsMalformedUtf8() {
        byte[][] malformed = {
            {(byte) 0xC3},                          // truncated sequence
            {(byte) 0xC0, (byte) 0x80},             // overlong NUL
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // encoded surrogate
            {(byte) 0xFF},                          // never valid
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        };
        for (byte[] bytes : malformed) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> TextContent.of(bytes, TEN_BYTES));
            assertEquals(Violation.CONTENT_NOT_TEXT, e.violation());
        }
    }

    @Test
    void acceptsMultiByteCharacters() {
        assertEquals("é€😀", TextContent.of(bytes("é€😀"), TEN_BYTES).asString());
    }

    @Test
    void computesTheSha256OfItsBytes() {
        // Known answer: SHA-256("abc") from FIPS 180-2.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                TextContent.of(bytes("abc"), TEN_BYTES).sha256());
    }

    @Test
    void keepsItsOwnCopyOfTheBytes() {
        byte[] input = bytes("abc");
        TextContent content = TextContent.of(input, TEN_BYTES);
        input[0] = 'x';
        content.toByteArray()[1] = 'y';
        assertEquals("abc", content.asString());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
