package io.helloserverless.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.lambda.Functions.Function;
import io.helloserverless.lambda.Functions.Uses;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The zips {@code mvn package} builds, one per function {@link Functions} declares: each holds its
 * handler and the libraries of what it uses and none of the others, and its handler class loads from the zip alone (as the Lambda
 * runtime loads it, from {@code lib/*.jar}). Prints each size.
 */
class FunctionPackagesIT {

    private static final Path FUNCTIONS = Path.of("target", "functions");

    /** The libraries (file name prefixes) each use brings; a zip carries them exactly when its function uses it. */
    static final Map<Uses, List<String>> LIBRARIES = Map.of(
            Uses.DATABASE, List.of("adapters-postgres", "jooq", "postgresql"),
            Uses.STORAGE, List.of("adapters-s3", "s3-2"),
            Uses.CACHE, List.of("adapters-redis", "lettuce-core", "netty"),
            Uses.CHANGE_EVENTS, List.of("adapters-webhook"),
            Uses.MIGRATIONS, List.of("flyway"),
            Uses.SIGNED_HTTP, List.of());

    static List<Function> functions() {
        return Functions.ALL;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void carriesWhatItUsesAndNothingElse(Function function) throws Exception {
        Path zip = FUNCTIONS.resolve(function.name() + ".zip");
        assertTrue(Files.exists(zip), zip + " was not built");
        List<String> jars = jarsIn(zip);
        System.out.printf("[package] %-14s %6.1f MB, %d jars%n", function.name(), Files.size(zip) / 1e6, jars.size());

        LIBRARIES.forEach((use, libraries) -> {
            for (String library : libraries) {
                boolean carried = jars.stream().anyMatch(j -> j.startsWith("lib/" + library));
                assertEquals(function.uses().contains(use), carried,
                        function.name() + (carried ? " carries " : " lacks ") + library + " (" + use + ")");
            }
        });
        // Every function signs AWS calls (secrets, S3, the API) and reads JSON with Gson; only those with a component carry Dagger.
        for (String library : List.of("auth-2", "http-auth-aws-2", "gson-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith("lib/" + library)), function.name() + " lacks " + library);
        }
        boolean component = !function.uses().contains(Uses.SIGNED_HTTP);
        assertEquals(component, jars.stream().anyMatch(j -> j.startsWith("lib/dagger")), function.name() + ": Dagger");
        // The API functions carry the CRaC API of their SnapStart hooks; the scheduled ones run without SnapStart.
        assertEquals(function.servesApi(), jars.stream().anyMatch(j -> j.startsWith("lib/crac-")), function.name() + ": CRaC");
        assertTrue(jars.stream().noneMatch(j -> j.contains("joda-time")), "Joda-Time is not used");
        // Secrets are read with the signer and the HTTP client above, not the SDK's service client (ADR 0017).
        for (String client : List.of("secretsmanager-", "aws-json-protocol-")) {
            assertTrue(jars.stream().noneMatch(j -> j.startsWith("lib/" + client)), function.name() + " carries " + client);
        }
        assertEquals(function.handler(), loadFromZipAlone(zip, function.handler(), component).getName());
    }

    private static List<String> jarsIn(Path zip) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return file.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
    }

    /** Loads and initialises the handler class with nothing but the zip's jars on the class path. */
    private static Class<?> loadFromZipAlone(Path zip, String className, boolean component) throws Exception {
        Path folder = Files.createTempDirectory("function");
        List<URL> urls = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : file.stream().filter(e -> e.getName().endsWith(".jar")).toList()) {
                Path jar = folder.resolve(Path.of(entry.getName()).getFileName());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
                }
                urls.add(jar.toUri().toURL());
            }
        }
        // The platform loader as parent: no class of this build's class path can leak in.
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> handler = Class.forName(className, true, loader);
            if (component) {
                Class.forName(className.replace(handler.getSimpleName(), "Dagger" + handler.getSimpleName() + "_Wiring"), true, loader);
            }
            return handler;
        }
    }
}
