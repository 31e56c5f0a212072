package io.helloserverless.benchmarks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.helloserverless.benchmarks.runtime.RestoreRuntime;
import io.helloserverless.lambda.CreateFileFunction;
import io.helloserverless.lambda.Functions;
import io.helloserverless.lambda.ReadFileFunction;
import io.helloserverless.lambda.http.RequestLog;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./dev bench restore}: read-file's SnapStart restore path (docs/adr/0015-snapstart-priming.md).
 * In a fresh JVM per run ({@link RestoreRuntime} on the function's zip, C1 as deployed, {@code
 * AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}): init and the checkpoint hook, then the restore hook
 * and the first event, a miss (both cache tiers emptied), timed from the restore hook; on one core
 * ({@code taskset -c 1}) and on two, interleaved. Beside it, in this (warm) JVM: the same miss with
 * the connections open, and with connections and secrets dropped by the hooks before each read,
 * which is the set-up a restore cannot avoid; each with the time its request line gives to each
 * dependency. System property {@code runs} (7).
 */
final class RestoreBench {

    private static final String HANDLER = Functions.handledBy(ReadFileFunction.class).handler();
    private static final String SEED = "seed-restore.txt";
    private static final String C1 = "-XX:TieredStopAtLevel=1";
    private static final Pattern NUMBER = Pattern.compile("(\\w+)=([\\d.]+)");
    private static final Pattern DEPENDENCY = Pattern.compile("\"(DatabaseTime|SecretsTime|CacheTime|StorageTime)\":([\\d.]+)");
    private static final int WARM_FILES = 200;
    private static final PojoSerializer<APIGatewayProxyRequestEvent> EVENTS =
            LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class, RestoreBench.class.getClassLoader());

    private final BenchEnvironment environment;
    private final Path work;
    private final Path zips;
    private final int runs = Integer.getInteger("runs", 7);
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    RestoreBench(BenchEnvironment environment, Path work, Path zips) {
        this.environment = environment;
        this.work = work;
        this.zips = zips;
    }

    void run() throws Exception {
        // the zip's lib/*, plus the benchmarks' jar (this class's runtime) and the runtime's serialiser
        String classPath = new ColdStart(work, Map.of()).classPath(zips.resolve(Functions.nameOf(ReadFileFunction.class) + ".zip"));
        Path event = work.resolve("restore-event.json");
        Files.writeString(event, ApiEvents.onFile("GET", SEED).toJson());
        try (CreateFileFunction create = new CreateFileFunction(environment.setup(quiet()))) {
            create.handleRequest(event(ApiEvents.onFiles("POST").query("name", SEED).text("hello, restored world")), context());
        }
        Thread.sleep(10_500);

        String list = System.getProperty("priming.list");
        if (list != null) {
            writePrimingList(classPath, event, Path.of(list));
            return;
        }
        Map<String, List<Map<String, Double>>> restores = new LinkedHashMap<>();
        restores.put("1 core (taskset -c 1)", new ArrayList<>());
        restores.put("2 cores", new ArrayList<>());
        child(classPath, event, List.of());
        for (int i = 0; i < runs; i++) {
            restores.get("1 core (taskset -c 1)").add(child(classPath, event, List.of("taskset", "-c", "1")));
            restores.get("2 cores").add(child(classPath, event, List.of()));
        }
        Map<String, List<Map<String, Double>>> warm = warmReads();
        print(restores, warm);
    }

    /**
     * With {@code -Dpriming.list=FILE}: the classes that the first event after the restore hook
     * still loads (one run, {@code -Xlog:class+load}), written to FILE for the functions' checkpoint
     * hook to load ahead (adapters-lambda's {@code snapstart-classes.txt}). Generated classes
     * (lambdas, proxies) are left out: they cannot be loaded by name.
     */
    private void writePrimingList(String classPath, Path event, Path list) throws IOException, InterruptedException {
        Path log = work.resolve("restore-class-load.log");
        child(classPath, event, List.of(), List.of("-Xlog:class+load=info:file=" + log));
        List<String> names = new ArrayList<>();
        boolean restoring = false;
        for (String line : Files.readAllLines(log)) {
            String[] parts = line.split(" ");
            if (parts.length < 2) {
                continue;
            }
            String name = parts[1];
            if (name.endsWith("Marks$Restoring")) {
                restoring = true;
            } else if (restoring && !name.contains("$$") && !name.contains("/") && !name.startsWith("jdk.internal.reflect.Generated")
                    && !name.contains("$Proxy") && !name.startsWith("io.helloserverless.benchmarks")) {
                names.add(name);
            }
        }
        Files.write(list, names.stream().distinct().sorted().toList());
        System.out.printf("%d classes written to %s%n", names.size(), list);
    }

    /** One fresh JVM through init, checkpoint, restore and the first event: the RESTORE figures and the dependency times. */
    private Map<String, Double> child(String classPath, Path event, List<String> launcher) throws IOException, InterruptedException {
        return child(classPath, event, launcher, List.of());
    }

    private Map<String, Double> child(String classPath, Path event, List<String> launcher, List<String> options)
            throws IOException, InterruptedException {
        environment.emptyCache();
        List<String> command = new ArrayList<>(launcher);
        command.add(java.toString());
        command.add(C1);
        command.addAll(options);
        command.addAll(List.of("-cp", classPath, RestoreRuntime.class.getName(), HANDLER, event.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("restore-children.log").toFile()));
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", work.toString());
        builder.environment().putAll(environment.functionEnvironment());
        builder.environment().put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        Process process = builder.start();
        Map<String, Double> figures = new LinkedHashMap<>();
        String status = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                Matcher dependency = DEPENDENCY.matcher(line);
                while (dependency.find()) {
                    figures.put(dependency.group(1), Double.parseDouble(dependency.group(2)));
                }
                if (line.startsWith("RESTORE ")) {
                    Matcher m = NUMBER.matcher(line);
                    while (m.find()) {
                        figures.put(m.group(1), Double.parseDouble(m.group(2)));
                    }
                    status = line.substring(line.indexOf("status=") + 7);
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (!"200".equals(status)) {
            throw new IllegalStateException("the restored read-file answered " + status + "; see " + work.resolve("restore-children.log"));
        }
        return figures;
    }

    /**
     * In this JVM, after a JIT warm-up: misses with the connections open, then misses each after
     * the checkpoint and restore hooks (connections closed, secrets forgotten).
     */
    private Map<String, List<Map<String, Double>>> warmReads() throws Exception {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        RequestLog log = new RequestLog(new PrintStream(lines, true, StandardCharsets.UTF_8));
        String run = UUID.randomUUID().toString().substring(0, 6);
        Map<String, List<Map<String, Double>>> series = new LinkedHashMap<>();
        try (CreateFileFunction create = new CreateFileFunction(environment.setup(quiet()));
             ReadFileFunction read = new ReadFileFunction(environment.setup(log))) {
            for (int i = 0; i < 1500; i++) {
                String name = "restore-warm-" + run + "-" + i + ".txt";
                create.handleRequest(event(ApiEvents.onFiles("POST").query("name", name).text("x".repeat(1023) + "\n")), context());
                read.handleRequest(event(ApiEvents.onFile("GET", name)), context());
            }
            for (int i = 0; i < 2 * WARM_FILES; i++) {
                create.handleRequest(event(ApiEvents.onFiles("POST").query("name", name(run, i)).text("x".repeat(1023) + "\n")), context());
            }
            Thread.sleep(10_500);
            List<Map<String, Double>> open = new ArrayList<>();
            List<Map<String, Double>> fresh = new ArrayList<>();
            for (int i = 0; i < WARM_FILES; i++) {
                open.add(timedRead(read, name(run, i), lines));
                read.beforeCheckpoint(null);
                read.afterRestore(null);
                fresh.add(timedRead(read, name(run, WARM_FILES + i), lines));
            }
            series.put("warm JVM, connections open", open);
            series.put("warm JVM, after the hooks (connections and secrets anew)", fresh);
        }
        return series;
    }

    private static Map<String, Double> timedRead(ReadFileFunction read, String name, ByteArrayOutputStream lines) {
        APIGatewayProxyRequestEvent event = event(ApiEvents.onFile("GET", name));
        lines.reset();
        long started = System.nanoTime();
        int status = read.handleRequest(event, context()).getStatusCode();
        double millis = (System.nanoTime() - started) / 1e6;
        if (status != 200) {
            throw new IllegalStateException("read " + name + ": " + status);
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("firstEvent", millis);
        Matcher dependency = DEPENDENCY.matcher(lines.toString(StandardCharsets.UTF_8));
        while (dependency.find()) {
            figures.put(dependency.group(1), Double.parseDouble(dependency.group(2)));
        }
        return figures;
    }

    private static APIGatewayProxyRequestEvent event(ApiEvents event) {
        return EVENTS.fromJson(event.toJson());
    }

    private static String name(String run, int i) {
        return "restore-" + run + "-" + i + ".txt";
    }

    private void print(Map<String, List<Map<String, Double>>> restores, Map<String, List<Map<String, Double>>> warm) {
        System.out.printf("## SnapStart restore path of read-file (a miss: PostgreSQL, S3, Redis; fresh connections and secrets; "
                + "%d runs each, median ms; C1)%n%n", runs);
        System.out.println("Hooks called directly (no CRaC JVM here): a fresh JVM runs init and the checkpoint hook, then the restore hook and the first event; "
                + "the restore path is timed from the restore hook to the answered event. DatabaseTime includes the login's fetch (SecretsTime).");
        System.out.println();
        System.out.println("| where | restore path | spread | target | init | checkpoint hook | restore hook | DatabaseTime | SecretsTime | CacheTime | StorageTime |");
        System.out.println("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        restores.forEach((where, series) -> {
            Stats path = stats(series, "restorePath");
            String target = where.startsWith("1 core")
                    ? (path.median() <= 200 ? "≤ 200 ms: met" : String.format(Locale.ROOT, "≤ 200 ms: missed by %.0f ms", path.median() - 200))
                    : "";
            System.out.printf(Locale.ROOT, "| fresh JVM, %s | %.0f | %.0f%% | %s | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f |%n", where,
                    path.median(), 100 * path.spread(), target, median(series, "init"), median(series, "checkpoint"),
                    median(series, "restoreHook"), median(series, "DatabaseTime"), median(series, "SecretsTime"),
                    median(series, "CacheTime"), median(series, "StorageTime"));
        });
        warm.forEach((where, series) -> System.out.printf(Locale.ROOT, "| %s (%d reads) | %.1f | %.0f%% | | | | | %.1f | %.1f | %.1f | %.1f |%n",
                where, series.size(), median(series, "firstEvent"), 100 * stats(series, "firstEvent").spread(),
                median(series, "DatabaseTime"), median(series, "SecretsTime"), median(series, "CacheTime"), median(series, "StorageTime")));
        System.out.println();
    }

    private static Stats stats(List<Map<String, Double>> series, String figure) {
        return Stats.of(series.stream().mapToDouble(f -> f.getOrDefault(figure, 0.0)).toArray());
    }

    private static double median(List<Map<String, Double>> series, String figure) {
        return stats(series, figure).median();
    }

    private static RequestLog quiet() {
        return new RequestLog(new PrintStream(OutputStream.nullOutputStream()));
    }

    private static Context context() {
        return WarmLatency.newContext();
    }
}
