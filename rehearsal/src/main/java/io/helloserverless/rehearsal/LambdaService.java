package io.helloserverless.rehearsal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One Lambda function as the service runs it: its zip unpacked as Lambda lays it out, and
 * execution environments started on demand, each a fresh JVM running the official runtime
 * interface client (what the managed java21 runtime runs) against a Runtime API of its own.
 * An environment serves one invocation at a time and is kept while warm; one that times out,
 * fails its init or exits is discarded. Each invocation ends with a Lambda-style {@code REPORT}
 * line.
 */
final class LambdaService implements AutoCloseable {

    /** How an invocation ended, as the Invoke API tells its caller. */
    sealed interface Outcome {
        record Success(byte[] payload) implements Outcome {
        }

        record FunctionError(String type, byte[] payload) implements Outcome {
        }
    }

    private static final String API = "/2018-06-01/runtime";
    /** On-demand init may take this long before Lambda gives up on the environment. */
    private static final long INIT_LIMIT_MS = 10_000;
    /**
     * Environments start one at a time: the runtime interface client unpacks its native library
     * to a fixed path in /tmp, which Lambda gives each environment on its own and one machine
     * shares; two starting together can load a half-written library.
     */
    private static final Semaphore STARTING = new Semaphore(1);

    private final Deployment.Function function;
    private final Path taskRoot;
    private final Path runtimeLib;
    private final Map<String, String> lambdaEnvironment;
    private final List<String> runtimeOptions;
    private final PrintStream log;
    private final String arn;
    /** A command the function's JVM starts under, such as {@code taskset -c 1}; none by default. */
    private volatile List<String> launcher = List.of();
    private final Semaphore environments;
    private final Deque<Environment> idle = new ConcurrentLinkedDeque<>();
    private final List<Environment> all = java.util.Collections.synchronizedList(new ArrayList<>());

    LambdaService(Deployment.Function function, Path zip, Path unpackInto, Path runtimeLib,
                  Map<String, String> lambdaEnvironment, List<String> runtimeOptions, String arn, int maxEnvironments,
                  PrintStream log) throws IOException {
        this.function = function;
        this.environments = new Semaphore(maxEnvironments, true);
        this.arn = arn;
        this.taskRoot = unpack(zip, unpackInto);
        this.runtimeLib = runtimeLib;
        this.lambdaEnvironment = lambdaEnvironment;
        this.runtimeOptions = runtimeOptions;
        this.log = log;
    }

    String name() {
        return function.name();
    }

    /** Environments started from now on run under {@code command} (a benchmark pins them to cores). */
    void launchUnder(List<String> command) {
        launcher = List.copyOf(command);
    }

    /**
     * Invokes the function synchronously with {@code event}, in a warm environment or a new one.
     * Unlike Lambda, which scales out to the reserved concurrency, one machine runs a few
     * environments per function; a call beyond them waits for one to be free.
     */
    Outcome invoke(byte[] event) {
        try {
            environments.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("Rehearsal.Interrupted", "interrupted while waiting for an environment");
        }
        Environment environment = idle.pollFirst();
        while (environment != null && !environment.alive()) {
            environment = idle.pollFirst();
        }
        try {
            if (environment == null) {
                environment = new Environment();
            }
            Outcome outcome = environment.invoke(event);
            if (environment.alive()) {
                idle.addFirst(environment);
            }
            return outcome;
        } catch (IOException e) {
            return error("Runtime.Unknown", "could not start an execution environment: " + e.getMessage());
        } finally {
            environments.release();
        }
    }

    /** Stops every environment, as a deploy of a new version retires the old ones. */
    void retire() {
        List<Environment> running;
        synchronized (all) {
            running = List.copyOf(all);
        }
        running.forEach(Environment::kill);
        idle.clear();
    }

    @Override
    public void close() {
        retire();
    }

    private static Outcome.FunctionError error(String type, String message) {
        String json = "{\"errorMessage\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"errorType\":\"" + type + "\"}";
        return new Outcome.FunctionError(type, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Lambda's layout: the zip's root is the task root ({@code /var/task}), its {@code lib/*.jar} beside the classes. */
    private static Path unpack(Path zip, Path into) throws IOException {
        if (Files.exists(into)) {
            try (var walk = Files.walk(into)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(into);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("zip entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        return into;
    }

    /** One execution environment: a JVM and the Runtime API it polls. */
    private final class Environment {

        private final HttpServer runtimeApi;
        private final Process process;
        private final long startedNanos = System.nanoTime();
        private final BlockingQueue<Invocation> next = new ArrayBlockingQueue<>(1);
        private final CompletableFuture<Void> initialised = new CompletableFuture<>();
        private volatile Invocation current;
        private volatile boolean dead;
        private boolean frozen;
        private volatile Double initDurationMs;
        private boolean reportedInit;

        Environment() throws IOException {
            runtimeApi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            runtimeApi.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            runtimeApi.createContext(API + "/", this::serve);
            runtimeApi.start();
            Map<String, String> environment = new LinkedHashMap<>(function.environment());
            environment.putAll(lambdaEnvironment);
            environment.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApi.getAddress().getPort());
            environment.put("_HANDLER", function.handler());
            environment.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            environment.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
            environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(function.memoryMb()));
            environment.put("AWS_LAMBDA_LOG_STREAM_NAME", java.time.LocalDate.now() + "/[$LATEST]" + UUID.randomUUID().toString().replace("-", ""));
            List<String> command = new ArrayList<>(launcher);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // The managed runtime's own flags: a heap of 85 % of the memory setting, the serial GC.
            command.add("-XX:MaxHeapSize=" + function.memoryMb() * 85 / 100 + "m");
            command.add("-XX:+UseSerialGC");
            command.add("-XX:-UsePerfData");
            command.addAll(runtimeOptions);
            command.add("-cp");
            command.add(runtimeLib.resolve("*").toString());
            command.add("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
            command.add(function.handler());
            ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(environment);
            STARTING.acquireUninterruptibly();
            try {
                process = builder.start();
            } catch (IOException | RuntimeException e) {
                STARTING.release();
                runtimeApi.stop(0);
                throw e;
            }
            initialised.whenComplete((done, failed) -> STARTING.release());
            Thread.ofPlatform().daemon().name(function.name() + "-log").start(this::copyLog);
            all.add(this);
        }

        boolean alive() {
            return !dead && process.isAlive();
        }

        /** SIGSTOP or SIGCONT to the environment's JVM; nothing for a null signal. */
        private void signal(String name) {
            if (name == null) {
                return;
            }
            try {
                new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        Outcome invoke(byte[] event) {
            String requestId = UUID.randomUUID().toString();
            try {
                initialised.get(INIT_LIMIT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                kill();
                return error("Runtime.InitTimeout", "init did not finish within " + INIT_LIMIT_MS + " ms");
            } catch (InterruptedException | ExecutionException e) {
                kill();
                return error("Runtime.InitError", "init failed: " + e.getCause());
            }
            long timeoutMs = function.timeoutSeconds() * 1000L;
            Invocation invocation = new Invocation(requestId, event, System.currentTimeMillis() + timeoutMs);
            long started = System.nanoTime();
            current = invocation;
            synchronized (this) {
                signal(frozen ? "CONT" : null);
                frozen = false;
                next.add(invocation);
            }
            Outcome outcome;
            try {
                outcome = invocation.result.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                kill();
                outcome = error("Sandbox.Timedout", String.format("%s Task timed out after %.2f seconds",
                        requestId, function.timeoutSeconds() * 1.0));
                log.printf("[%s] %s%n", function.name(), outcome instanceof Outcome.FunctionError f
                        ? new String(f.payload(), StandardCharsets.UTF_8) : "");
            } catch (InterruptedException | ExecutionException e) {
                kill();
                outcome = error("Runtime.ExitError", "the runtime exited: " + e.getCause());
            }
            report(requestId, (System.nanoTime() - started) / 1e6);
            return outcome;
        }

        private void report(String requestId, double durationMs) {
            String init = "";
            if (!reportedInit && initDurationMs != null) {
                init = String.format(" Init Duration: %.2f ms", initDurationMs);
                reportedInit = true;
            }
            log.printf("[%s] REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t%s%n",
                    function.name(), requestId, durationMs, (long) Math.ceil(durationMs), function.memoryMb(),
                    maxMemoryMb(), init);
        }

        private long maxMemoryMb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process is gone, or this is not Linux
            }
            return -1;
        }

        private void serve(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath().substring(API.length());
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (path.equals("/invocation/next") && exchange.getRequestMethod().equals("GET")) {
                    if (initDurationMs == null) {
                        initDurationMs = (System.nanoTime() - startedNanos) / 1e6;
                        initialised.complete(null);
                    }
                    // As Lambda does, the environment is frozen between invocations: its background
                    // threads (reconnects, keep-alives, caches' timers) do not run until the next event.
                    synchronized (this) {
                        if (next.isEmpty() && !dead) {
                            frozen = true;
                            signal("STOP");
                        }
                    }
                    Invocation invocation = next.take();
                    exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
                    exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms", String.valueOf(invocation.deadlineMs));
                    exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn", arn);
                    exchange.getResponseHeaders().set("Lambda-Runtime-Trace-Id",
                            "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24) + ";Sampled=0");
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    answer(exchange, 200, invocation.event);
                } else if (path.startsWith("/invocation/") && path.endsWith("/response")) {
                    complete(path, new Outcome.Success(body));
                    answer(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
                } else if (path.startsWith("/invocation/") && path.endsWith("/error")) {
                    String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                    complete(path, new Outcome.FunctionError(type == null ? "Unhandled" : type, body));
                    answer(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
                } else if (path.equals("/init/error")) {
                    log.printf("[%s] INIT ERROR %s%n", function.name(), new String(body, StandardCharsets.UTF_8));
                    initialised.completeExceptionally(new IllegalStateException(new String(body, StandardCharsets.UTF_8)));
                    answer(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
                } else {
                    answer(exchange, 404, "{\"errorMessage\":\"unknown runtime API path\"}".getBytes(StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void complete(String path, Outcome outcome) {
            Invocation invocation = current;
            String id = path.substring("/invocation/".length(), path.lastIndexOf('/'));
            if (invocation != null && invocation.requestId.equals(id)) {
                invocation.result.complete(outcome);
            }
        }

        private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        private void copyLog() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    log.println("[" + function.name() + "] " + line);
                }
            } catch (IOException e) {
                // the environment was killed
            }
            dead = true;
            idle.remove(this);
            initialised.completeExceptionally(new IllegalStateException("the runtime exited with " + exitCode()));
            Invocation invocation = current;
            if (invocation != null) {
                invocation.result.completeExceptionally(new IllegalStateException("the runtime exited with " + exitCode()));
            }
        }

        private String exitCode() {
            try {
                return String.valueOf(process.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "unknown";
            }
        }

        void kill() {
            dead = true;
            process.destroyForcibly();
            runtimeApi.stop(0);
            idle.remove(this);
            all.remove(this);
        }
    }

    private record Invocation(String requestId, byte[] event, long deadlineMs, CompletableFuture<Outcome> result) {
        Invocation(String requestId, byte[] event, long deadlineMs) {
            this(requestId, event, deadlineMs, new CompletableFuture<>());
        }
    }
}
