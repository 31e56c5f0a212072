package io.helloserverless.lambda;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Set;

/**
 * Every function of the service, each declared once: its name (its zip, the suffix of its Lambda
 * function, the {@code function} of its log lines), its handler, the API routes it serves and
 * what its component uses. The routes, the request log, the laptop server, the benchmarks and
 * the packaging read it; Terraform and {@code openapi.yaml} (which the rehearsal runs) are checked
 * against it by tests. Adding an operation: README, "Adding an operation".
 */
public final class Functions {

    /**
     * What a function connects to; each decides what its zip carries. Every function with a
     * Dagger component also reads secrets; {@code SIGNED_HTTP} is for one without a component
     * that calls an HTTPS API with SigV4 (the SDK's signer, none of its clients).
     */
    public enum Uses {
        DATABASE, STORAGE, CACHE, CHANGE_EVENTS, MIGRATIONS, SIGNED_HTTP
    }

    public record Route(String method, String template) {
    }

    /** {@code handler}: the class name, as Lambda's handler setting takes it (not a class, so that reading this loads none). */
    public record Function(String name, String handler, List<Route> routes, Set<Uses> uses) {
        public Function {
            routes = List.copyOf(routes);
            uses = Set.copyOf(uses);
        }

        public boolean servesApi() {
            return !routes.isEmpty();
        }

        /** A new handler built with {@code setup}: for a process that runs functions itself. */
        public <T> T newHandler(Class<T> type, Setup setup) {
            try {
                return type.cast(Class.forName(handler).getConstructor(Setup.class).newInstance(setup));
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw new IllegalStateException(name + " could not be built", e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(handler + " has no public constructor taking a Setup", e);
            }
        }
    }

    private static final String PACKAGE = Functions.class.getPackageName() + ".";
    private static final Set<Uses> FILES = Set.of(Uses.DATABASE, Uses.STORAGE, Uses.CACHE);

    public static final List<Function> ALL = List.of(
            new Function("create-file", PACKAGE + "CreateFileFunction",
                    List.of(new Route("POST", Routes.FILES)), FILES),
            new Function("read-file", PACKAGE + "ReadFileFunction",
                    List.of(new Route("GET", Routes.FILE), new Route("HEAD", Routes.FILE)), FILES),
            new Function("list-files", PACKAGE + "ListFilesFunction",
                    List.of(new Route("GET", Routes.FILES)), Set.of(Uses.DATABASE)),
            new Function("update-file", PACKAGE + "UpdateFileFunction",
                    List.of(new Route("PUT", Routes.FILE)), FILES),
            new Function("delete-file", PACKAGE + "DeleteFileFunction",
                    List.of(new Route("DELETE", Routes.FILE)), FILES),
            new Function("health", PACKAGE + "HealthFunction",
                    List.of(new Route("GET", Routes.HEALTH)), FILES),
            new Function("purge-expired", PACKAGE + "PurgeExpiredFunction",
                    List.of(), Set.of(Uses.DATABASE, Uses.STORAGE)),
            new Function("migrate", PACKAGE + "MigrateFunction",
                    List.of(), Set.of(Uses.DATABASE, Uses.MIGRATIONS)),
            new Function("dispatch-events", PACKAGE + "DispatchEventsFunction",
                    List.of(), Set.of(Uses.DATABASE, Uses.CHANGE_EVENTS)),
            new Function("synthetic-check", PACKAGE + "SyntheticCheckFunction",
                    List.of(), Set.of(Uses.SIGNED_HTTP)));

    private Functions() {
    }

    public static Function named(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function is named " + name));
    }

    /** The declaration of the function {@code handler} implements. */
    public static Function handledBy(Class<?> handler) {
        return ALL.stream().filter(f -> f.handler().equals(handler.getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException(handler.getName() + " is not declared in Functions"));
    }

    /** The name of the function {@code handler} implements: how hosts refer to one without writing its name. */
    public static String nameOf(Class<?> handler) {
        return handledBy(handler).name();
    }

    /** The functions behind the API's routes. */
    public static List<Function> api() {
        return ALL.stream().filter(Function::servesApi).toList();
    }
}
