package io.helloserverless.lambda;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API's routes and the function behind each, as {@link Functions} declares them. API Gateway
 * is configured from the OpenAPI document, the laptop server routes with this table, and a test
 * checks the two agree.
 */
public final class Routes {

    public record Route(String method, String template, String function) {
    }

    /** The outcome of matching a request path and method. */
    public sealed interface Match {
        record Found(Route route, Optional<String> name) implements Match {
        }

        record MethodNotAllowed(Set<String> allowed) implements Match {
        }

        record NoRoute() implements Match {
        }
    }

    public static final String FILES = "/v1/files";
    public static final String FILE = "/v1/files/{name}";
    public static final String HEALTH = "/v1/health";

    public static final List<Route> ALL = Functions.api().stream()
            .flatMap(f -> f.routes().stream().map(r -> new Route(r.method(), r.template(), f.name())))
            .toList();

    private Routes() {
    }

    /** Matches a raw (still percent-encoded) path; {@code {name}} is one non-empty segment. */
    public static Match match(String method, String rawPath) {
        String template;
        Optional<String> name = Optional.empty();
        if (rawPath.equals(FILES) || rawPath.equals(HEALTH)) {
            template = rawPath;
        } else if (rawPath.startsWith(FILES + "/") && rawPath.length() > FILES.length() + 1
                && rawPath.indexOf('/', FILES.length() + 1) < 0) {
            template = FILE;
            name = Optional.of(rawPath.substring(FILES.length() + 1));
        } else {
            return new Match.NoRoute();
        }
        Set<String> allowed = new TreeSet<>();
        for (Route route : ALL) {
            if (route.template().equals(template)) {
                if (route.method().equals(method)) {
                    return new Match.Found(route, name);
                }
                allowed.add(route.method());
            }
        }
        return new Match.MethodNotAllowed(allowed);
    }
}
