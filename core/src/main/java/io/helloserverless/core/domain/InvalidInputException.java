package io.helloserverless.core.domain;

import java.util.Objects;

/** A request the service refuses because of what it asked for; nothing was changed. */
public final class InvalidInputException extends FileServiceException {

    /** What was wrong; an adapter maps each to a status (for HTTP, 400 or 413). */
    public enum Violation {
        INVALID_NAME,
        INVALID_PREFIX,
        CONTENT_NOT_TEXT,
        CONTENT_TOO_LARGE,
        INVALID_LIMIT,
        INVALID_CURSOR
    }

    private final Violation violation;

    public InvalidInputException(Violation violation, String detail) {
        super(detail);
        this.violation = Objects.requireNonNull(violation, "violation");
    }

    public Violation violation() {
        return violation;
    }
}
