package io.helloserverless.lambda.http;

import java.util.Map;

/**
 * A refusal decided by the HTTP layer itself (unsupported media type, malformed header,
 * unknown route, wrong method); everything else is mapped from the core's outcomes.
 */
public final class HttpProblem extends RuntimeException {

    private final Problem problem;
    private final Map<String, String> headers;

    public HttpProblem(Problem problem, String detail, Map<String, String> headers) {
        super(detail);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    public HttpProblem(Problem problem, String detail) {
        this(problem, detail, Map.of());
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
