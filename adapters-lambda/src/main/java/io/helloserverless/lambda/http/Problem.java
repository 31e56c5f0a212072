package io.helloserverless.lambda.http;

/**
 * Every problem type the API answers with (RFC 9457). The {@code type} URIs are stable
 * identifiers a client can switch on; the README lists them.
 */
public enum Problem {
    INVALID_NAME(400, "Invalid file name"),
    INVALID_PREFIX(400, "Invalid prefix"),
    INVALID_LIMIT(400, "Invalid limit"),
    INVALID_CURSOR(400, "Invalid cursor"),
    INVALID_PRECONDITION(400, "Invalid precondition header"),
    MISSING_NAME(400, "Missing file name"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    ALREADY_EXISTS(409, "File already exists"),
    PRECONDITION_FAILED(412, "Precondition failed"),
    CONTENT_TOO_LARGE(413, "Content too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    INTERNAL_ERROR(500, "Internal error"),
    DEPENDENCY_UNAVAILABLE(503, "Service unavailable");

    private final int status;
    private final String title;

    Problem(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String type() {
        return "urn:hello-serverless:problem:" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
