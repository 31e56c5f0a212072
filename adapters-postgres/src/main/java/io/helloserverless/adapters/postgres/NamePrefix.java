package io.helloserverless.adapters.postgres;

import java.util.Optional;

/**
 * A name prefix as a key range, so that a listing is an index range scan and the prefix is
 * taken literally: no {@code LIKE}, hence no wildcard to escape. Under {@code COLLATE "C"}
 * PostgreSQL compares the UTF-8 bytes, whose order is the order of the code points.
 */
final class NamePrefix {

    private NamePrefix() {
    }

    /**
     * The least string above every string that starts with {@code prefix}: the prefix with its
     * last code point incremented, once trailing U+10FFFF (which cannot be incremented) are
     * dropped. Empty when the prefix has no upper bound (empty, or only U+10FFFF).
     */
    static Optional<String> upperBound(String prefix) {
        int[] codePoints = prefix.codePoints().toArray();
        int length = codePoints.length;
        while (length > 0 && codePoints[length - 1] == Character.MAX_CODE_POINT) {
            length--;
        }
        if (length == 0) {
            return Optional.empty();
        }
        int next = codePoints[length - 1] + 1;
        codePoints[length - 1] = next == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : next;
        return Optional.of(new String(codePoints, 0, length));
    }
}
