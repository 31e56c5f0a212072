package io.helloserverless.core.domain;

/** The core's own failures. Expected business outcomes are values, not exceptions. */
public abstract sealed class FileServiceException extends RuntimeException
        permits InvalidInputException, DependencyFailureException {

    protected FileServiceException(String message) {
        super(message);
    }

    protected FileServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
