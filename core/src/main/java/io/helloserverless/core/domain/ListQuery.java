package io.helloserverless.core.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing: names starting with {@code prefix} (may be empty), after the cursor,
 * at most {@code limit} of them, ascending by UTF-8 bytes.
 */
public record ListQuery(String prefix, int limit, Optional<Cursor> after) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public ListQuery {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException(InvalidInputException.Violation.INVALID_LIMIT,
                    "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        String problem = Text.forbiddenCharacterIn(prefix);
        if (problem == null && Text.utf8Length(prefix) > FileName.MAX_BYTES) {
            problem = "is longer than " + FileName.MAX_BYTES + " bytes of UTF-8";
        }
        if (problem != null) {
            throw new InvalidInputException(InvalidInputException.Violation.INVALID_PREFIX, "the prefix " + problem);
        }
    }

    public static ListQuery firstPage(String prefix, int limit) {
        return new ListQuery(prefix, limit, Optional.empty());
    }

    /** Builds a query from the raw strings of a request; null means absent. */
    public static ListQuery parse(String prefix, String limit, String cursor) {
        return new ListQuery(
                prefix == null ? "" : prefix,
                limit == null ? DEFAULT_LIMIT : parseLimit(limit),
                cursor == null ? Optional.empty() : Optional.of(Cursor.decode(cursor)));
    }

    private static int parseLimit(String limit) {
        try {
            return Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(InvalidInputException.Violation.INVALID_LIMIT,
                    "limit must be a whole number between 1 and " + MAX_LIMIT);
        }
    }
}
