package io.helloserverless.core.domain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * The name a consumer gives a file: 1 to 255 bytes of UTF-8, no {@code /} or {@code \}, no
 * control character, not {@code .} or {@code ..}. A name is only ever a database key: blobs
 * are stored under generated keys, so a name never becomes a storage path.
 */
public record FileName(String value) implements Comparable<FileName> {

    public static final int MAX_BYTES = 255;

    /** Names sort by their UTF-8 bytes, as PostgreSQL does under {@code COLLATE "C"}. */
    public static final Comparator<FileName> UTF8_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.utf8(), b.utf8());

    public FileName {
        Objects.requireNonNull(value, "value");
        String problem = problemWith(value);
        if (problem != null) {
            throw new InvalidInputException(InvalidInputException.Violation.INVALID_NAME, problem);
        }
    }

    public static FileName of(String value) {
        return new FileName(value);
    }

    public byte[] utf8() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int compareTo(FileName other) {
        return UTF8_ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String problemWith(String value) {
        if (value.isEmpty()) {
            return "the name is empty";
        }
        if (value.equals(".") || value.equals("..")) {
            return "the name must not be '.' or '..'";
        }
        String characterProblem = Text.forbiddenCharacterIn(value);
        if (characterProblem != null) {
            return "the name " + characterProblem;
        }
        if (Text.utf8Length(value) > MAX_BYTES) {
            return "the name is longer than " + MAX_BYTES + " bytes of UTF-8";
        }
        return null;
    }
}
