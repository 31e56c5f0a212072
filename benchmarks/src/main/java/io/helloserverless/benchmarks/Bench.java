package io.helloserverless.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code ./dev bench [cold|warm|throughput|sizes|all]}: prints the tables of docs/performance.md.
 * Every figure sits next to a floor measured in the same run. System properties: {@code runs}
 * (cold starts per function and flag set, 10), {@code flags} (default,c1,c1-cds), {@code
 * functions} (the zips' folder), {@code only} (function names).
 */
public final class Bench {

    private static final Path ZIPS = Path.of(System.getProperty("functions", "adapters-lambda/target/functions"));

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        Path work = Files.createTempDirectory("hs-bench");
        System.out.printf("# hello-serverless benchmarks (%s, %d cores, java %s)%n%n", what,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        if (what.equals("sizes") || what.equals("all")) {
            sizes(work);
        }
        if (what.equals("sizes")) {
            return;
        }
        try (BenchEnvironment environment = BenchEnvironment.start()) {
            if (what.equals("cold") || what.equals("all")) {
                cold(environment, work);
            }
            if (what.equals("warm") || what.equals("all")) {
                new WarmLatency(environment).run();
            }
            if (what.equals("throughput") || what.equals("all")) {
                new Throughput(environment, work).run();
            }
        }
        // Lettuce and s3proxy leave non-daemon threads behind.
        System.exit(0);
    }

    private static List<Path> zips() throws IOException {
        try (Stream<Path> files = Files.list(ZIPS)) {
            return files.filter(p -> p.toString().endsWith(".zip")).sorted().toList();
        }
    }

    private static void sizes(Path work) throws IOException {
        List<Path> zips = zips();
        long shaded = PackageSizes.shadedJarOfEverything(zips, work.resolve("everything.jar"));
        System.out.println("## Package size per function zip");
        System.out.println();
        System.out.println("| function | zip MB | vs one shaded jar of everything | target |");
        System.out.println("|---|---:|---:|---|");
        PackageSizes.zips(zips).forEach((zip, size) -> {
            String name = zip.replace(".zip", "");
            boolean strict = name.equals("read-file") || name.equals("list-files");
            String target = strict ? (size <= 15_000_000 ? "≤ 15 MB: met" : String.format("≤ 15 MB: missed by %.1f MB", (size - 15_000_000) / 1e6))
                    : (size < shaded ? "< shaded: met" : "< shaded: missed");
            System.out.printf("| %s | %.1f | %.0f%% | %s |%n", name, size / 1e6, 100.0 * size / shaded, target);
        });
        System.out.printf("| (one shaded jar of everything) | %.1f | 100%% | |%n%n", shaded / 1e6);
    }

    /** The cold-start rounds: every function and the floors once per round, in a fixed order, for each flag set. */
    private static void cold(BenchEnvironment environment, Path work) throws Exception {
        int runs = Integer.getInteger("runs", 10);
        List<String> flagNames = Arrays.asList(System.getProperty("flags", "default,c1,c1-cds").split(","));
        List<String> only = System.getProperty("only") == null ? List.of() : Arrays.asList(System.getProperty("only").split(","));
        ColdStart cold = new ColdStart(work, environment.functionEnvironment());
        String seedRead = "seed-read.txt";
        String seedUpdate = "seed-update.txt";
        List<ColdStart.Function> functions = new ArrayList<>(List.of(
                new ColdStart.Function("read-file", "ReadFileFunction", i -> ApiEvents.onFile("GET", seedRead).toJson()),
                new ColdStart.Function("create-file", "CreateFileFunction",
                        i -> ApiEvents.onFiles("POST").query("name", "cold-" + i + ".txt").text("hello " + i).toJson()),
                new ColdStart.Function("update-file", "UpdateFileFunction",
                        i -> ApiEvents.onFile("PUT", seedUpdate).text("revision " + i).toJson()),
                new ColdStart.Function("delete-file", "DeleteFileFunction", i -> ApiEvents.onFile("DELETE", "cold-" + i + ".txt").toJson()),
                new ColdStart.Function("list-files", "ListFilesFunction", i -> ApiEvents.onFiles("GET").query("limit", "100").toJson()),
                new ColdStart.Function("health", "HealthFunction", i -> ApiEvents.health().toJson()),
                new ColdStart.Function("purge-expired", "PurgeExpiredFunction", i -> "{}"),
                new ColdStart.Function("migrate", "MigrateFunction", i -> "{}")));
        if (!only.isEmpty()) {
            functions.removeIf(f -> !only.contains(f.name()) && !f.name().equals("create-file"));
        }
        String floorPath = cold.floorClassPath();
        String noopStream = "io.helloserverless.benchmarks.runtime.NoopStreamFunction";
        String noopApi = "io.helloserverless.benchmarks.runtime.NoopFunction";
        String anyApiEvent = ApiEvents.onFile("GET", seedRead).toJson();

        Map<String, String> paths = new LinkedHashMap<>();
        for (ColdStart.Function f : functions) {
            paths.put(f.name(), cold.classPath(ZIPS.resolve(f.name() + ".zip")));
        }
        String createPath = cold.classPath(ZIPS.resolve("create-file.zip"));
        String prefix = "io.helloserverless.lambda.";
        // Seed files, and one untimed round so that the OS caches the jars for every run alike.
        cold.run(createPath, prefix + "CreateFileFunction", ApiEvents.onFiles("POST").query("name", seedRead).text("hello, cold world").toJson(), List.of(), 0, null);
        cold.run(createPath, prefix + "CreateFileFunction", ApiEvents.onFiles("POST").query("name", seedUpdate).text("first").toJson(), List.of(), 0, null);
        for (ColdStart.Function f : functions) {
            cold.run(paths.get(f.name()), prefix + f.handler(), f.event().apply(-1), List.of(), 0, null);
        }

        Map<String, List<String>> flagSets = new LinkedHashMap<>();
        for (String name : flagNames) {
            flagSets.put(name, switch (name) {
                case "default" -> List.of();
                case "c1" -> List.of("-XX:TieredStopAtLevel=1");
                case "c1-cds" -> List.of("-XX:TieredStopAtLevel=1");
                default -> throw new IllegalArgumentException("unknown flag set " + name);
            });
        }
        // The class-data archives, one per function, written by a training run of that function (and of the floors).
        Map<String, String> archives = new LinkedHashMap<>();
        if (flagSets.containsKey("c1-cds")) {
            for (ColdStart.Function f : functions) {
                if (f.name().equals("read-file")) {
                    // train on the path that is measured, a miss, not on a hit left by the warm-up round
                    environment.emptyCache();
                }
                archives.put(f.name(), train(cold, work, paths.get(f.name()), prefix + f.handler(), f.event().apply(-2), f.name()));
            }
            archives.put("floor", train(cold, work, floorPath, noopStream, anyApiEvent, "floor"));
            archives.put("floor-api", train(cold, work, floorPath, noopApi, anyApiEvent, "floor-api"));
        }

        String runId = UUID.randomUUID().toString().substring(0, 6);
        Map<String, Map<String, List<ColdStart.Run>>> results = new LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
            for (Map.Entry<String, List<String>> flags : flagSets.entrySet()) {
                boolean cds = flags.getKey().equals("c1-cds");
                Map<String, List<ColdStart.Run>> byFunction = results.computeIfAbsent(flags.getKey(), k -> new LinkedHashMap<>());
                byFunction.computeIfAbsent("floor: no-op stream handler", k -> new ArrayList<>()).add(
                        cold.run(floorPath, noopStream, anyApiEvent, options(flags.getValue(), cds, archives.get("floor")), 0, null));
                byFunction.computeIfAbsent("floor: no-op API handler", k -> new ArrayList<>()).add(
                        cold.run(floorPath, noopApi, anyApiEvent, options(flags.getValue(), cds, archives.get("floor-api")), 0, null));
                for (ColdStart.Function f : functions) {
                    if (f.name().equals("read-file")) {
                        environment.emptyCache();
                    }
                    int round = i * 10 + flagSets.keySet().stream().toList().indexOf(flags.getKey());
                    String event = f.event().apply(round).replace("cold-" + round + ".txt", "cold-" + runId + "-" + round + ".txt");
                    byFunction.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(cold.run(paths.get(f.name()),
                            prefix + f.handler(), event, options(flags.getValue(), cds, archives.get(f.name())), 0, null));
                }
            }
        }

        System.out.printf("## Cold start: fresh JVM to the first handled event (%d runs each; median, IQR/median, ratio to the no-op floor)%n%n", runs);
        StringBuilder header = new StringBuilder("| function |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String flags : flagSets.keySet()) {
            header.append(" ").append(flags).append(" ms | spread | × floor |");
            rule.append("---:|---:|---:|");
        }
        System.out.println(header.append(" statuses |"));
        System.out.println(rule.append("---|"));
        for (String function : results.values().iterator().next().keySet()) {
            StringBuilder row = new StringBuilder("| " + function + " |");
            java.util.Set<String> statuses = new java.util.TreeSet<>();
            for (String flags : flagSets.keySet()) {
                List<ColdStart.Run> series = results.get(flags).get(function);
                Stats stats = Stats.of(series.stream().mapToDouble(ColdStart.Run::wallMs).toArray());
                Stats floor = Stats.of(results.get(flags).get("floor: no-op stream handler").stream().mapToDouble(ColdStart.Run::wallMs).toArray());
                row.append(String.format(Locale.ROOT, " %.0f | %.0f%% | %.1f |", stats.median(), 100 * stats.spread(), stats.median() / floor.median()));
                series.forEach(r -> statuses.add(r.status()));
            }
            System.out.println(row.append(" ").append(String.join(",", statuses)).append(" |"));
        }
        System.out.println();
        System.out.println("Phases inside the JVM (median ms): init = handler constructed; serialiser = the runtime's serialiser for the handler's type; invoke = event deserialised, handled, response serialised; jvm = wall − main.");
        System.out.println();
        for (String flags : flagSets.keySet()) {
            System.out.printf("| %s | init | serialiser | invoke | jvm |%n|---|---:|---:|---:|---:|%n", flags);
            results.get(flags).forEach((function, series) -> System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f |%n", function,
                    median(series, "init"), median(series, "serialiser"), median(series, "invoke"),
                    Stats.of(series.stream().mapToDouble(r -> r.wallMs() - r.phases().get("main")).toArray()).median()));
            System.out.println();
        }

        String classFlags = flagSets.containsKey("c1") ? "c1" : flagSets.keySet().iterator().next();
        for (ColdStart.Function f : functions) {
            if (!List.of("read-file", "list-files", "create-file").contains(f.name())) {
                continue;
            }
            if (f.name().equals("read-file")) {
                environment.emptyCache();
            }
            Map<String, long[]> libraries = cold.classLoading(paths.get(f.name()), prefix + f.handler(), f.event().apply(-3),
                    flagSets.get(classFlags));
            System.out.printf("Classes loaded by %s (%s, one run; uptime ms of the first and last class; ~ marks end of init and of the event):%n%n", f.name(), classFlags);
            System.out.println("| library | classes | first | last |");
            System.out.println("|---|---:|---:|---:|");
            libraries.entrySet().stream()
                    .sorted((a, b) -> Long.compare(a.getValue()[1], b.getValue()[1]))
                    .forEach(e -> System.out.printf("| %s | %d | %d | %d |%n", e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]));
            System.out.printf("| (total) | %d | | |%n%n", libraries.values().stream().mapToLong(v -> v[0]).sum());
        }

        Map<String, String> memory = new LinkedHashMap<>();
        environment.emptyCache();
        cold.run(paths.get("read-file"), prefix + "ReadFileFunction", ApiEvents.onFile("GET", seedRead).toJson(),
                List.of("-XX:TieredStopAtLevel=1"), 2000, memory);
        System.out.printf(Locale.ROOT, "Memory of the read function in its own JVM (C1, after 2,000 more reads): heap after GC %.1f MB, RSS %.1f MB, peak RSS %.1f MB%n%n",
                Long.parseLong(memory.get("heapAfterGc")) / 1e6, Long.parseLong(memory.get("rss")) / 1e6, Long.parseLong(memory.get("peakRss")) / 1e6);
    }

    private static double median(List<ColdStart.Run> series, String phase) {
        return Stats.of(series.stream().mapToDouble(r -> r.phases().getOrDefault(phase, 0.0)).toArray()).median();
    }

    private static List<String> options(List<String> flags, boolean cds, String archive) {
        List<String> options = new ArrayList<>(flags);
        if (cds) {
            options.add("-XX:SharedArchiveFile=" + archive);
        }
        return options;
    }

    /** A training run writing the function's dynamic class-data archive when it exits. */
    private static String train(ColdStart cold, Path work, String classPath, String handler, String event, String name)
            throws Exception {
        Path archive = work.resolve(name + ".jsa");
        cold.run(classPath, handler, event, List.of("-XX:TieredStopAtLevel=1", "-XX:ArchiveClassesAtExit=" + archive,
                "-Dfakeruntime.exit=true"), 0, null);
        for (int i = 0; i < 100 && !Files.exists(archive); i++) {
            Thread.sleep(50);
        }
        if (!Files.exists(archive)) {
            throw new IllegalStateException("no archive written for " + name);
        }
        return archive.toString();
    }
}
