package io.helloserverless.lambda.http;

import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.InvalidInputException;
import io.helloserverless.core.domain.Page;
import io.helloserverless.core.usecase.CheckHealth;
import io.helloserverless.core.usecase.CreateFile;
import io.helloserverless.core.usecase.DeleteFile;
import io.helloserverless.core.usecase.ReadFile;
import io.helloserverless.core.usecase.UpdateFile;

/** The one place where use-case outcomes and failures become HTTP responses. */
public final class Responses {

    private Responses() {
    }

    public static HttpResponse created(CreateFile.Result result, HttpRequest request) {
        return switch (result) {
            case CreateFile.Result.Created(FileMetadata file) -> describing(HttpResponse.status(201), file)
                    .header("Location", Headers.location(file))
                    .json(Json.file(file));
            case CreateFile.Result.AlreadyExists(var name) ->
                    problem(Problem.ALREADY_EXISTS, "a file named '" + name + "' exists", request);
        };
    }

    public static HttpResponse read(ReadFile.Result result, HttpRequest request) {
        return switch (result) {
            case ReadFile.Result.Found(FileMetadata file, var content) -> {
                HttpResponse response = describing(HttpResponse.status(200), file)
                        .header("Cache-Control", "no-cache");
                if (content.isPresent()) {
                    yield response.bytes(Headers.TEXT_PLAIN, content.get().toByteArray());
                }
                // HEAD: the headers a GET would send, no body.
                yield response.header("Content-Type", Headers.TEXT_PLAIN)
                        .header("Content-Length", Long.toString(file.size()));
            }
            case ReadFile.Result.NotModified(FileMetadata file) ->
                    describing(HttpResponse.status(304), file).header("Cache-Control", "no-cache");
            case ReadFile.Result.NotFound(var name) -> problem(Problem.NOT_FOUND, "no file named '" + name + "'", request);
        };
    }

    public static HttpResponse updated(UpdateFile.Result result, HttpRequest request) {
        return switch (result) {
            case UpdateFile.Result.Updated(FileMetadata file) -> describing(HttpResponse.status(200), file).json(Json.file(file));
            case UpdateFile.Result.NotFound(var name) -> problem(Problem.NOT_FOUND, "no file named '" + name + "'", request);
            case UpdateFile.Result.PreconditionFailed(var name) -> problem(Problem.PRECONDITION_FAILED,
                    "'" + name + "' is not at the revision the request named, or another write came first", request);
        };
    }

    public static HttpResponse deleted(DeleteFile.Result result, HttpRequest request) {
        return switch (result) {
            case DeleteFile.Result.Deleted(var file) -> HttpResponse.status(204);
            case DeleteFile.Result.NotFound(var name) -> problem(Problem.NOT_FOUND, "no file named '" + name + "'", request);
            case DeleteFile.Result.PreconditionFailed(var name) -> problem(Problem.PRECONDITION_FAILED,
                    "'" + name + "' is not at the revision the request named, or another write came first", request);
        };
    }

    public static HttpResponse page(Page page) {
        return HttpResponse.status(200).json(Json.page(page));
    }

    public static HttpResponse health(CheckHealth.Report report) {
        return HttpResponse.status(report.status() == CheckHealth.Status.DOWN ? 503 : 200).json(Json.health(report));
    }

    public static HttpResponse problem(Problem problem, String detail, HttpRequest request) {
        return problem(problem, detail, request.requestId());
    }

    /** A problem answered before any function ran (the laptop server's API Gateway part). */
    public static HttpResponse problem(Problem problem, String detail, String requestId) {
        return HttpResponse.status(problem.status())
                .header("Content-Type", "application/problem+json")
                .json(Json.problem(problem, detail, requestId));
    }

    /** Failures thrown on the way: the client's (4xx, with the reason) or ours (5xx, without details). */
    public static HttpResponse failure(RuntimeException failure, HttpRequest request) {
        return switch (failure) {
            case HttpProblem p -> problem(p.problem(), p.getMessage(), request);
            case InvalidInputException e -> problem(problemOf(e.violation()), e.getMessage(), request);
            case DependencyFailureException e -> problem(Problem.DEPENDENCY_UNAVAILABLE,
                    "a dependency of the service is unavailable; retry later", request).header("Retry-After", "1");
            default -> problem(Problem.INTERNAL_ERROR, "an unexpected error occurred", request);
        };
    }

    private static Problem problemOf(InvalidInputException.Violation violation) {
        return switch (violation) {
            case INVALID_NAME -> Problem.INVALID_NAME;
            case INVALID_PREFIX -> Problem.INVALID_PREFIX;
            case INVALID_LIMIT -> Problem.INVALID_LIMIT;
            case INVALID_CURSOR -> Problem.INVALID_CURSOR;
            case CONTENT_TOO_LARGE -> Problem.CONTENT_TOO_LARGE;
            // The body is not plain text whatever its label says: unsupported content (RFC 9110 15.5.16).
            case CONTENT_NOT_TEXT -> Problem.UNSUPPORTED_MEDIA_TYPE;
        };
    }

    private static HttpResponse describing(HttpResponse response, FileMetadata file) {
        return response.header("ETag", file.etag().toString())
                .header("Last-Modified", Headers.lastModified(file))
                .header("Repr-Digest", Headers.reprDigest(file));
    }
}
