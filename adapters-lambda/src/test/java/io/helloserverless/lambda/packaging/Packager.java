package io.helloserverless.lambda.packaging;

import io.helloserverless.lambda.Functions;
import io.helloserverless.lambda.Functions.Function;
import io.helloserverless.lambda.Functions.Uses;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds every function's zip ({@code target/functions/NAME.zip}, the Java runtime's layout:
 * {@code lib/*.jar}) from its declaration in {@link Functions}: this module's jar, the libraries
 * every component needs, and the adapter module of each thing it {@link Uses}, each with its own
 * dependencies (as Maven resolved them: {@code dependency:tree}'s trails) and nothing else.
 * Run by {@code mvn package}; {@code FunctionPackagesIT} checks what it built.
 *
 * <p>Arguments: the output folder, this module's jar, the dependency tree (TGF) and the
 * dependency list with absolute file names, both written by the dependency plugin just before.
 */
public final class Packager {

    /**
     * What every function with a Dagger component carries: the handler's libraries and what reads
     * secrets (the SDK's signer, credential chain and URL-connection client; no service client).
     */
    static final Set<String> COMPONENT = Set.of(
            "io.helloserverless:core",
            "com.amazonaws:aws-lambda-java-core",
            "com.amazonaws:aws-lambda-java-events",
            "com.google.code.gson:gson",
            "com.google.dagger:dagger",
            "software.amazon.awssdk:url-connection-client",
            "software.amazon.awssdk:auth",
            "software.amazon.awssdk:http-auth-aws",
            "com.github.ben-manes.caffeine:caffeine");

    static final Map<Uses, String> ADAPTERS = Map.of(
            Uses.DATABASE, "io.helloserverless:adapters-postgres",
            Uses.STORAGE, "io.helloserverless:adapters-s3",
            Uses.CACHE, "io.helloserverless:adapters-redis",
            Uses.CHANGE_EVENTS, "io.helloserverless:adapters-webhook");

    private Packager() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Path moduleJar = Path.of(args[1]);
        Resolved resolved = Resolved.read(Path.of(args[2]), Path.of(args[3]));
        Files.createDirectories(out);
        for (Function function : Functions.ALL) {
            List<Path> jars = new ArrayList<>();
            jars.add(moduleJar);
            libraries(function, resolved).forEach(ga -> jars.add(resolved.file(ga)));
            zip(out.resolve(function.name() + ".zip"), jars);
        }
    }

    /** The group:artifact of every library {@code function}'s zip carries besides this module's jar. */
    static Set<String> libraries(Function function, Resolved resolved) {
        Predicate<String> excluded = ga -> ga.equals("joda-time:joda-time") // only for event types no function uses
                || (ga.startsWith("org.flywaydb:") && !function.uses().contains(Uses.MIGRATIONS));
        if (function.uses().contains(Uses.SIGNED_HTTP)) {
            // The SDK's signer and credential chain: its modules less the service clients and their HTTP client.
            return resolved.runtime().stream()
                    .filter(ga -> ga.startsWith("software.amazon.awssdk:") || Set.of("io.helloserverless:core",
                            "com.amazonaws:aws-lambda-java-core", "com.amazonaws:aws-lambda-java-events",
                            "com.google.code.gson:gson", "org.slf4j:slf4j-api", "org.reactivestreams:reactive-streams")
                            .contains(ga))
                    .filter(ga -> !Set.of("software.amazon.awssdk:s3", "software.amazon.awssdk:url-connection-client")
                            .contains(ga))
                    .filter(excluded.negate())
                    .collect(TreeSet::new, Set::add, Set::addAll);
        }
        Set<String> roots = new TreeSet<>(COMPONENT);
        if (function.servesApi()) {
            roots.add("org.crac:crac"); // the SnapStart hooks' API (ApiHandler); a no-op on a JVM without CRaC
        }
        function.uses().stream().map(ADAPTERS::get).filter(a -> a != null).forEach(roots::add);
        return resolved.closure(roots, excluded);
    }

    private static void zip(Path zip, List<Path> jars) throws IOException {
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry("lib/"));
            out.closeEntry();
            for (Path jar : jars) {
                out.putNextEntry(new ZipEntry("lib/" + jar.getFileName()));
                Files.copy(jar, out);
                out.closeEntry();
            }
        }
    }

    /** The module's runtime dependencies as Maven resolved them: each one's file, and the tree's edges. */
    record Resolved(Map<String, Path> files, Map<String, List<String>> children) {

        static Resolved read(Path tgf, Path list) throws IOException {
            Map<String, Path> files = new TreeMap<>();
            for (String line : Files.readAllLines(list)) {
                // "   group:artifact:jar:version:scope:/abs/file.jar -- module name"
                String[] parts = line.strip().replaceFirst(" -- .*$", "").split(":");
                if (parts.length >= 6 && (parts[4].equals("compile") || parts[4].equals("runtime"))) {
                    Path file = Path.of(parts[5]);
                    if (!Files.isRegularFile(file)) {
                        throw new IllegalStateException(parts[0] + ":" + parts[1] + " resolved to " + file
                                + ", not a jar: package it first (mvn package -pl adapters-lambda -am)");
                    }
                    files.put(parts[0] + ":" + parts[1], file);
                }
            }
            Map<String, String> names = new HashMap<>();
            Map<String, List<String>> children = new HashMap<>();
            boolean edges = false;
            for (String line : Files.readAllLines(tgf)) {
                if (line.equals("#")) {
                    edges = true;
                } else if (!line.isBlank()) {
                    String[] parts = line.split(" ", 3);
                    if (edges) {
                        children.computeIfAbsent(names.get(parts[0]), k -> new ArrayList<>()).add(names.get(parts[1]));
                    } else {
                        String[] coordinates = parts[1].split(":");
                        names.put(parts[0], coordinates[0] + ":" + coordinates[1]);
                    }
                }
            }
            return new Resolved(files, children);
        }

        Set<String> runtime() {
            return files.keySet();
        }

        Path file(String ga) {
            Path file = files.get(ga);
            if (file == null) {
                throw new IllegalStateException(ga + " is not a runtime dependency of adapters-lambda");
            }
            return file;
        }

        /** {@code roots} and everything below them in the tree, but nothing at or below an excluded artifact. */
        Set<String> closure(Set<String> roots, Predicate<String> excluded) {
            Set<String> found = new TreeSet<>();
            Deque<String> next = new ArrayDeque<>(roots);
            while (!next.isEmpty()) {
                String ga = next.pop();
                if (files.containsKey(ga) && !excluded.test(ga) && found.add(ga)) {
                    next.addAll(children.getOrDefault(ga, List.of()));
                }
            }
            return found;
        }
    }
}
