package io.helloserverless.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput over loopback HTTPS with keep-alive ({@code wrk}, bounded in connections and time)
 * for an L1-hit read through the laptop server, against the static-response server on the same
 * front ({@link StaticHttpsServer}); the laptop server's resident set is sampled under that load.
 */
final class Throughput {

    private static final int SECONDS = Integer.getInteger("throughput.seconds", 10);
    private static final int CONNECTIONS = 8;
    private static final int BODY = 1024;

    private final BenchEnvironment environment;
    private final Path work;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    Throughput(BenchEnvironment environment, Path work) {
        this.environment = environment;
        this.work = work;
    }

    void run() throws Exception {
        String database = BenchEnvironment.DATABASE + "_local";
        environment.recreateDatabase(database);
        Path data = work.resolve("local");
        int port = freePort();
        // No Redis: with the in-process tier alone every read after the first is an L1 hit for the whole run.
        Process local = start("hello-serverless is serving", java.toString(), "-cp", System.getProperty("java.class.path"),
                "io.helloserverless.local.LocalServer", "--port=" + port, "--data-dir=" + data,
                "--postgres=" + environment.pgHost + ":" + environment.pgPort + "/" + database,
                "--postgres-user=" + environment.pgUser);
        double api;
        long[] rss;
        try {
            String url = "https://127.0.0.1:" + port + "/v1/files/bench.txt";
            Process create = new ProcessBuilder("curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                    "https://127.0.0.1:" + port + "/v1/files?name=bench.txt", "-H", "Content-Type: text/plain",
                    "--data-binary", "x".repeat(BODY - 1) + "\n").start();
            String status = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!status.equals("201")) {
                throw new IllegalStateException("creating the file answered " + status);
            }
            // The create's invalidation refuses cache puts for the invalidation window (10 s):
            // until it ends every read would be a miss.
            Thread.sleep(10_500);
            wrk(url, 3);
            rss = new long[] {0};
            Thread sampler = Thread.ofPlatform().daemon().start(() -> sample(local.pid(), rss));
            api = wrk(url, SECONDS);
            sampler.interrupt();
        } finally {
            local.destroy();
            local.waitFor(20, TimeUnit.SECONDS);
        }

        int staticPort = freePort();
        Process floor = start("static server ready", java.toString(), "-cp", System.getProperty("java.class.path"),
                StaticHttpsServer.class.getName(), Integer.toString(staticPort),
                data.resolve("tls/localhost.p12").toString(), data.resolve("tls/localhost.p12.password").toString(), Integer.toString(BODY));
        double staticRate;
        try {
            String url = "https://127.0.0.1:" + staticPort + "/v1/files/bench.txt";
            wrk(url, 3);
            staticRate = wrk(url, SECONDS);
        } finally {
            floor.destroy();
            floor.waitFor(20, TimeUnit.SECONDS);
        }

        System.out.printf("## Throughput over loopback HTTPS, keep-alive (wrk, %d connections, %d s after 3 s of warm-up; 1 KiB file)%n%n", CONNECTIONS, SECONDS);
        System.out.println("| server | requests/s | ratio |");
        System.out.println("|---|---:|---:|");
        System.out.printf(Locale.ROOT, "| floor: static-response laptop front (Helidon) | %.0f | 1.00 |%n", staticRate);
        System.out.printf(Locale.ROOT, "| laptop server, read (L1 hit) | %.0f | %.2f |%n%n", api, api / staticRate);
        System.out.printf(Locale.ROOT, "Laptop server (every function, embedded S3) resident set under that load: peak %.0f MB%n%n", rss[0] / 1e6);
    }

    private Process start(String ready, String... command) throws IOException {
        return startChild(work, ready, command);
    }

    /** A child process, once it printed {@code ready} on its standard error (which is then drained). */
    static Process startChild(Path work, String ready, String... command) throws IOException {
        Path log = work.resolve("throughput-children.log");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = err.readLine(); line != null; line = err.readLine()) {
            seen.add(line);
            if (line.contains(ready)) {
                // Keep draining, or the child blocks on a full pipe.
                Thread.ofPlatform().daemon().start(() -> err.lines().forEach(l -> { }));
                return process;
            }
        }
        throw new IllegalStateException("child did not start: " + String.join("\n", seen));
    }

    private static double wrk(String url, int seconds) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t1", "-c" + CONNECTIONS, "-d" + seconds + "s", "--timeout", "5s", url)
                .redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor(seconds + 30L, TimeUnit.SECONDS);
        Matcher rate = Pattern.compile("Requests/sec:\\s+([\\d.]+)").matcher(output);
        if (!rate.find() || output.contains("Non-2xx")) {
            throw new IllegalStateException("wrk: " + output);
        }
        return Double.parseDouble(rate.group(1));
    }

    private static void sample(long pid, long[] peak) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        peak[0] = Math.max(peak[0], Long.parseLong(line.replaceAll("\\D+", "")) * 1024);
                    }
                }
                Thread.sleep(250);
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
