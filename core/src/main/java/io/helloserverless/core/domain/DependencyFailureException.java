package io.helloserverless.core.domain;

import java.util.Objects;

/**
 * A dependency (database, blob store, cache, secrets) did not do what was asked. Adapters
 * translate their library's exceptions into this one, so no library type crosses a port.
 * The message names the dependency and the operation, never data or credentials.
 */
public final class DependencyFailureException extends FileServiceException {

    private final String dependency;

    public DependencyFailureException(String dependency, String message, Throwable cause) {
        super(dependency + ": " + message, cause);
        this.dependency = Objects.requireNonNull(dependency, "dependency");
    }

    public DependencyFailureException(String dependency, String message) {
        this(dependency, message, null);
    }

    public String dependency() {
        return dependency;
    }
}
