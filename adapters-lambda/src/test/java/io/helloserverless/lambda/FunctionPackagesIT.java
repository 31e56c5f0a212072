package io.helloserverless.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The zips {@code mvn package} builds, one per function: each holds its handler and the
 * libraries it uses and no others, and its handler class loads from the zip alone (as the Lambda
 * runtime loads it, from {@code lib/*.jar}). Prints each size.
 */
class FunctionPackagesIT {

    private static final Path FUNCTIONS = Path.of("target", "functions");

    /** Function, handler class, a library it must carry, one it must not. */
    static List<Object[]> functions() {
        // Every function that signs an AWS call (secrets, S3) needs the SDK's signer and credentials.
        // Every API function carries the CRaC API of its SnapStart hooks; the scheduled ones run without SnapStart.
        String[] api = {"lettuce-core", "s3-2", "jooq", "auth-2", "http-auth-aws-2", "crac-"};
        return List.of(
                new Object[] {"create-file", "CreateFileFunction", api, new String[] {"flyway"}},
                new Object[] {"read-file", "ReadFileFunction", api, new String[] {"flyway"}},
                new Object[] {"update-file", "UpdateFileFunction", api, new String[] {"flyway"}},
                new Object[] {"delete-file", "DeleteFileFunction", api, new String[] {"flyway"}},
                new Object[] {"health", "HealthFunction", api, new String[] {"flyway"}},
                new Object[] {"purge-expired", "PurgeExpiredFunction", new String[] {"s3-2", "jooq", "auth-2", "http-auth-aws-2"},
                        new String[] {"lettuce-core", "netty", "flyway", "crac-"}},
                new Object[] {"list-files", "ListFilesFunction", new String[] {"jooq", "postgresql", "auth-2", "http-auth-aws-2", "crac-"},
                        new String[] {"lettuce-core", "netty", "s3-2", "flyway"}},
                new Object[] {"dispatch-events", "DispatchEventsFunction", new String[] {"adapters-webhook", "jooq", "postgresql", "auth-2", "http-auth-aws-2"},
                        new String[] {"lettuce-core", "netty", "s3-2", "flyway"}},
                new Object[] {"migrate", "MigrateFunction", new String[] {"flyway-core", "postgresql", "auth-2", "http-auth-aws-2"},
                        new String[] {"lettuce-core", "netty", "s3-2"}},
                new Object[] {"synthetic-check", "SyntheticCheckFunction", new String[] {"http-auth-aws", "gson"},
                        new String[] {"lettuce-core", "netty", "s3-2", "jooq", "postgresql", "dagger"}});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void carriesWhatItUsesAndNothingElse(String function, String handler, String[] needed, String[] unwanted) throws Exception {
        Path zip = FUNCTIONS.resolve(function + ".zip");
        assertTrue(Files.exists(zip), zip + " was not built");
        List<String> jars = jarsIn(zip);
        System.out.printf("[package] %-14s %6.1f MB, %d jars%n", function, Files.size(zip) / 1e6, jars.size());

        for (String library : needed) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith("lib/" + library)), function + " lacks " + library);
        }
        for (String library : unwanted) {
            assertTrue(jars.stream().noneMatch(j -> j.startsWith("lib/" + library)), function + " carries " + library);
        }
        assertTrue(jars.stream().noneMatch(j -> j.contains("joda-time")), "Joda-Time is not used");
        assertEquals(handler, loadFromZipAlone(zip, "io.helloserverless.lambda." + handler).getSimpleName());
    }

    private static List<String> jarsIn(Path zip) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return file.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
    }

    /** Loads and initialises the handler class with nothing but the zip's jars on the class path. */
    private static Class<?> loadFromZipAlone(Path zip, String className) throws Exception {
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
            if (!handler.getSimpleName().equals("SyntheticCheckFunction")) {
                Class.forName(className.replace(handler.getSimpleName(), "Dagger" + handler.getSimpleName() + "_Wiring"), true, loader);
            }
            return handler;
        }
    }
}
