package io.helloserverless.faults;

import io.helloserverless.local.TrustedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One laptop server ({@code LocalServer}) in a JVM of its own, on the test's dependencies, so
 * that it can be killed as a whole (SIGKILL) and started again on the same port and data
 * directory. Its output goes to {@code <name>.log} beside its data.
 */
final class ServerProcess {

    private static final Pattern SERVING = Pattern.compile("hello-serverless is serving https://localhost:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final Path dataDir;
    private final Path log;
    private final List<String> options;
    private final Map<String, String> environment;
    private Process process;
    private int port;
    private HttpClient client;

    /**
     * @param options     the server's flags but {@code --port} and {@code --data-dir}
     * @param environment its passwords and keys ({@code PGPASSWORD}, {@code AWS_*}): never flags
     */
    ServerProcess(String name, Path folder, List<String> options, Map<String, String> environment) {
        this.name = name;
        this.dataDir = folder.resolve(name);
        this.log = folder.resolve(name + ".log");
        this.options = List.copyOf(options);
        this.environment = Map.copyOf(environment);
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** The first start takes a free port and reports it; a restart asks for the same one. */
    void start() throws IOException, InterruptedException {
        long logged = Files.exists(log) ? Files.size(log) : 0;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Two servers, the test and the dependencies share two cores: small and quick to start.
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath(), "io.helloserverless.local.LocalServer",
                "--port=" + port, "--data-dir=" + dataDir));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(key -> key.startsWith("HS_") || key.startsWith("PG")
                || key.startsWith("AWS_"));
        builder.environment().putAll(environment);
        process = builder.start();
        Children.register(process);
        port = awaitServing(logged);
        if (client == null) {
            client = client(dataDir.resolve("tls").resolve("localhost.pem"));
        }
        awaitHealthy();
    }

    /** SIGKILL of the whole JVM: no shutdown hook runs, connections drop. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    HttpClient client() {
        return client;
    }

    URI uri(String pathAndQuery) {
        return URI.create("https://localhost:" + port + pathAndQuery);
    }


    /** The port from the server's "is serving" line, written once it listens. */
    private int awaitServing(long logged) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher serving = SERVING.matcher(readFrom(logged));
            if (serving.find()) {
                return Integer.parseInt(serving.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting, see " + log);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + " did not start within " + START_TIMEOUT + ", see " + log);
    }

    /** Serving is not enough: the deep health check must pass (database, storage, cache). */
    private void awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                var health = client.send(HttpRequest.newBuilder(uri("/v1/health")).timeout(Duration.ofSeconds(10)).build(),
                        BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
                last = health.statusCode() + " " + health.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " was not healthy within " + START_TIMEOUT + " (" + last + "), see " + log);
    }

    private String readFrom(long offset) throws IOException {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(offset);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * This test JVM's class path: failsafe runs it from a manifest-only jar and hands the real
     * one over in {@code surefire.test.class.path}.
     */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** HTTP/1.1 with keep-alive (the JDK server speaks nothing else), trusting the server's own certificate only. */
    private static HttpClient client(Path certificate) throws IOException {
        try {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(TrustedCertificate.sslContext(certificate))
                    .connectTimeout(Duration.ofSeconds(5)).build();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot trust " + certificate, e);
        }
    }
}
