package io.helloserverless.lambda.http;

/**
 * A refusal decided by the HTTP layer itself (unsupported media type, malformed header,
 * unknown route, wrong method); everything else is mapped from the core's outcomes.
 */
public final class HttpProblem extends RuntimeException {

    private final Problem problem;
    public HttpProblem(Problem problem, String detail) {
        super(detail);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

}
