package io.helloserverless.benchmarks;

import io.helloserverless.lambda.CreateFileFunction;
import io.helloserverless.lambda.DeleteFileFunction;
import io.helloserverless.lambda.Functions;
import io.helloserverless.lambda.HealthFunction;
import io.helloserverless.lambda.ListFilesFunction;
import io.helloserverless.lambda.MigrateFunction;
import io.helloserverless.lambda.PurgeExpiredFunction;
import io.helloserverless.lambda.ReadFileFunction;
import io.helloserverless.lambda.UpdateFileFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The cold-start tables of {@code ./dev bench cold}: the two floors, every function and, when its
 * folder is there, AWS's Dagger sample ({@link Peer}), each once per round in a fixed order, for
 * each flag set, so that noise hits all alike; then the phases, the classes the busiest functions
 * load, and the read function's memory.
 *
 * <p>System properties: {@code runs} (rounds, 10), {@code flags} (default,c1,c1-cds; also
 * c1-jfr-events, C1 with the JFR events the functions switch off back on), {@code only}
 * (function names; create-file always runs, it makes the files the others use), {@code peer} (the
 * peer's folder, ../shared/peer), {@code cores} (every child JVM pinned with {@code taskset} to
 * that many cores; all of them by default).
 */
final class ColdStartBench {

    private static final String FLOOR = "floor: no-op stream handler";
    private static final String SEED_READ = "seed-read.txt";
    private static final String SEED_UPDATE = "seed-update.txt";
    private static final String C1 = "-XX:TieredStopAtLevel=1";
    private static final List<String> CLASS_LOADING_SHOWN = Stream.of(ReadFileFunction.class, ListFilesFunction.class,
            CreateFileFunction.class).map(Functions::nameOf).toList();
    private static final String READ = Functions.nameOf(ReadFileFunction.class);
    private static final String CREATE = Functions.nameOf(CreateFileFunction.class);

    /** One row of the table: what its child JVM runs, and the event of round {@code i}. */
    private record Subject(String name, ColdStart driver, String classPath, String handler, IntFunction<String> event) {

        ColdStart.Run run(String eventJson, List<String> options) throws Exception {
            return driver.run(classPath, handler, eventJson, options, 0, null);
        }
    }

    private final BenchEnvironment environment;
    private final Path work;
    private final Path zips;
    private final int runs = Integer.getInteger("runs", 10);
    private final Map<String, List<String>> flagSets = flagSets(System.getProperty("flags", "default,c1,c1-cds"));
    private final List<String> only = System.getProperty("only") == null ? List.of() : Arrays.asList(System.getProperty("only").split(","));
    private final Path peerFolder = Path.of(System.getProperty("peer", "../shared/peer")).toAbsolutePath().normalize();
    private final int cores = Integer.getInteger("cores", Runtime.getRuntime().availableProcessors());
    private final String runId = UUID.randomUUID().toString().substring(0, 6);

    ColdStartBench(BenchEnvironment environment, Path work, Path zips) {
        this.environment = environment;
        this.work = work;
        this.zips = zips;
    }

    void run() throws Exception {
        ColdStart cold = new ColdStart(work, environment.functionEnvironment(), launcher());
        Optional<Peer> peer = Peer.in(peerFolder, work);
        try {
            List<Subject> functions = functions(cold);
            Optional<Subject> peerSubject = peer.isPresent() ? Optional.of(peerSubject(cold, peer.get())) : Optional.empty();
            List<Subject> subjects = new ArrayList<>(floors(cold));
            subjects.addAll(functions);
            peerSubject.ifPresent(subjects::add);

            seedFiles(cold);
            warmUp(functions, peerSubject);
            Map<String, String> archives = flagSets.containsKey("c1-cds") ? trainArchives(subjects) : Map.of();
            Map<String, Map<String, List<ColdStart.Run>>> results = rounds(subjects, archives);

            printTimes(results, peerSubject.isPresent());
            printPhases(results);
            printClassLoading(functions);
            printMemory(functions);
        } finally {
            peer.ifPresent(Peer::close);
        }
    }

    private static Map<String, List<String>> flagSets(String names) {
        Map<String, List<String>> flagSets = new LinkedHashMap<>();
        for (String name : names.split(",")) {
            flagSets.put(name, switch (name) {
                case "default" -> List.of();
                case "c1", "c1-cds" -> List.of(C1);
                // what switching Netty's and Lettuce's JFR events off (Setup.lambda) buys
                case "c1-jfr-events" -> List.of(C1, "-Dio.netty.jfr.enabled=true", "-Dio.lettuce.core.jfr=true");
                default -> throw new IllegalArgumentException("unknown flag set " + name);
            });
        }
        return flagSets;
    }

    /** {@code taskset -c} with the last {@code cores} CPUs when fewer than all are asked for. */
    private List<String> launcher() {
        int available = Runtime.getRuntime().availableProcessors();
        if (cores >= available) {
            return List.of();
        }
        return List.of("taskset", "-c", String.join(",", IntStream.range(available - cores, available).mapToObj(Integer::toString).toList()));
    }

    private String coresDescription() {
        List<String> launcher = launcher();
        return launcher.isEmpty() ? Runtime.getRuntime().availableProcessors() + " cores"
                : cores + (cores == 1 ? " core (" : " cores (") + String.join(" ", launcher) + ")";
    }

    private List<Subject> functions(ColdStart cold) throws Exception {
        List<Subject> functions = new ArrayList<>(List.of(
                function(cold, ReadFileFunction.class, i -> ApiEvents.onFile("GET", SEED_READ).toJson()),
                function(cold, CreateFileFunction.class,
                        i -> ApiEvents.onFiles("POST").query("name", coldFile(i)).text("hello " + i).toJson()),
                function(cold, UpdateFileFunction.class, i -> ApiEvents.onFile("PUT", SEED_UPDATE).text("revision " + i).toJson()),
                function(cold, DeleteFileFunction.class, i -> ApiEvents.onFile("DELETE", coldFile(i)).toJson()),
                function(cold, ListFilesFunction.class, i -> ApiEvents.onFiles("GET").query("limit", "100").toJson()),
                function(cold, HealthFunction.class, i -> ApiEvents.health().toJson()),
                function(cold, PurgeExpiredFunction.class, i -> "{}"),
                function(cold, MigrateFunction.class, i -> "{}")));
        if (!only.isEmpty()) {
            functions.removeIf(f -> !only.contains(f.name()) && !f.name().equals(CREATE));
        }
        return functions;
    }

    /** The function {@code handler} implements, as declared, with the event each cold start gets. */
    private Subject function(ColdStart cold, Class<?> handler, IntFunction<String> event) throws Exception {
        Functions.Function function = Functions.handledBy(handler);
        return new Subject(function.name(), cold, cold.classPath(zips.resolve(function.name() + ".zip")),
                function.handler(), event);
    }

    /** The file that create-file makes and delete-file removes in round {@code i}. */
    private String coldFile(int i) {
        return "cold-" + runId + "-" + i + ".txt";
    }

    private static List<Subject> floors(ColdStart cold) throws Exception {
        String anyApiEvent = ApiEvents.onFile("GET", SEED_READ).toJson();
        return List.of(
                new Subject(FLOOR, cold, cold.floorClassPath(), "io.helloserverless.benchmarks.runtime.NoopStreamFunction", i -> anyApiEvent),
                new Subject("floor: no-op API handler", cold, cold.floorClassPath(), "io.helloserverless.benchmarks.runtime.NoopFunction", i -> anyApiEvent));
    }

    private static Subject peerSubject(ColdStart cold, Peer peer) throws Exception {
        String event = peer.event();
        return new Subject(Peer.NAME, cold.withEnvironment(peer.environment()), cold.jarClassPath(peer.jar()), Peer.HANDLER, i -> event);
    }

    /** The files that read-file and update-file find. */
    private void seedFiles(ColdStart cold) throws Exception {
        Subject create = function(cold, CreateFileFunction.class, i -> "");
        create.run(ApiEvents.onFiles("POST").query("name", SEED_READ).text("hello, cold world").toJson(), List.of());
        create.run(ApiEvents.onFiles("POST").query("name", SEED_UPDATE).text("first").toJson(), List.of());
    }

    /** One untimed run of each, so that the OS caches the jars for every run alike. */
    private void warmUp(List<Subject> functions, Optional<Subject> peer) throws Exception {
        for (Subject function : functions) {
            function.run(function.event().apply(-1), List.of());
        }
        if (peer.isPresent()) {
            peer.get().run(peer.get().event().apply(-1), List.of());
        }
    }

    /** Empties the cache before read-file, whose cold start is measured on a miss. */
    private void prepare(Subject subject) {
        if (subject.name().equals(READ)) {
            environment.emptyCache();
        }
    }

    /** The class-data archives, one per subject, written by a training run of that subject. */
    private Map<String, String> trainArchives(List<Subject> subjects) throws Exception {
        Map<String, String> archives = new LinkedHashMap<>();
        for (Subject subject : subjects) {
            prepare(subject);
            archives.put(subject.name(), train(subject));
        }
        return archives;
    }

    /** A training run writing the subject's dynamic class-data archive when it exits. */
    private String train(Subject subject) throws Exception {
        // no colon in the file name: SharedArchiveFile reads one as "base:top"
        Path archive = work.resolve(subject.name().replaceAll("[^A-Za-z0-9-]+", "-") + ".jsa");
        subject.run(subject.event().apply(-2), List.of(C1, "-XX:ArchiveClassesAtExit=" + archive, "-Dfakeruntime.exit=true"));
        for (int i = 0; i < 100 && !Files.exists(archive); i++) {
            Thread.sleep(50);
        }
        if (!Files.exists(archive)) {
            throw new IllegalStateException("no archive written for " + subject.name());
        }
        return archive.toString();
    }

    /** Flag set → subject → its runs, in the order measured. */
    private Map<String, Map<String, List<ColdStart.Run>>> rounds(List<Subject> subjects, Map<String, String> archives) throws Exception {
        Map<String, Map<String, List<ColdStart.Run>>> results = new LinkedHashMap<>();
        List<String> flagNames = List.copyOf(flagSets.keySet());
        for (int i = 0; i < runs; i++) {
            for (String flags : flagNames) {
                Map<String, List<ColdStart.Run>> bySubject = results.computeIfAbsent(flags, k -> new LinkedHashMap<>());
                int round = i * flagNames.size() + flagNames.indexOf(flags);
                for (Subject subject : subjects) {
                    prepare(subject);
                    bySubject.computeIfAbsent(subject.name(), k -> new ArrayList<>())
                            .add(subject.run(subject.event().apply(round), options(flags, archives.get(subject.name()))));
                }
            }
        }
        return results;
    }

    private List<String> options(String flags, String archive) {
        List<String> options = new ArrayList<>(flagSets.get(flags));
        if (flags.equals("c1-cds")) {
            options.add("-XX:SharedArchiveFile=" + archive);
        }
        return options;
    }

    private void printTimes(Map<String, Map<String, List<ColdStart.Run>>> results, boolean withPeer) {
        System.out.printf("## Cold start: fresh JVM to the first handled event (%d runs each; median, IQR/median, ratio to the no-op floor%s; child JVMs on %s)%n%n",
                runs, withPeer ? " and to the peer" : "", coresDescription());
        StringBuilder header = new StringBuilder("| function |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String flags : flagSets.keySet()) {
            header.append(" ").append(flags).append(" ms | spread | × floor |").append(withPeer ? " × peer |" : "");
            rule.append("---:|---:|---:|").append(withPeer ? "---:|" : "");
        }
        System.out.println(header.append(" statuses |"));
        System.out.println(rule.append("---|"));
        for (String subject : results.values().iterator().next().keySet()) {
            System.out.println(timesRow(results, subject, withPeer));
        }
        System.out.println();
        if (!withPeer) {
            System.out.printf("No peer at %s (aws-samples-dagger-products.jar): no peer row, no ratio to it.%n%n", peerFolder);
        }
    }

    private String timesRow(Map<String, Map<String, List<ColdStart.Run>>> results, String subject, boolean withPeer) {
        StringBuilder row = new StringBuilder("| " + subject + " |");
        Set<String> statuses = new TreeSet<>();
        for (String flags : flagSets.keySet()) {
            Map<String, List<ColdStart.Run>> bySubject = results.get(flags);
            Stats stats = wallTimes(bySubject.get(subject));
            row.append(String.format(Locale.ROOT, " %.0f | %.0f%% | %.1f |", stats.median(), 100 * stats.spread(),
                    stats.median() / wallTimes(bySubject.get(FLOOR)).median()));
            if (withPeer) {
                row.append(String.format(Locale.ROOT, " %.2f |", stats.median() / wallTimes(bySubject.get(Peer.NAME)).median()));
            }
            bySubject.get(subject).forEach(r -> statuses.add(r.status()));
        }
        return row.append(" ").append(String.join(",", statuses)).append(" |").toString();
    }

    private static Stats wallTimes(List<ColdStart.Run> series) {
        return Stats.of(series.stream().mapToDouble(ColdStart.Run::wallMs).toArray());
    }

    private void printPhases(Map<String, Map<String, List<ColdStart.Run>>> results) {
        System.out.println("Phases inside the JVM (median ms): init = handler constructed; serialiser = the runtime's serialiser for the handler's type; invoke = event deserialised, handled, response serialised; jvm = wall − main.");
        System.out.println();
        for (String flags : flagSets.keySet()) {
            System.out.printf("| %s | init | serialiser | invoke | jvm |%n|---|---:|---:|---:|---:|%n", flags);
            results.get(flags).forEach((subject, series) -> System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f |%n", subject,
                    median(series, "init"), median(series, "serialiser"), median(series, "invoke"),
                    Stats.of(series.stream().mapToDouble(r -> r.wallMs() - r.phases().get("main")).toArray()).median()));
            System.out.println();
        }
    }

    private static double median(List<ColdStart.Run> series, String phase) {
        return Stats.of(series.stream().mapToDouble(r -> r.phases().getOrDefault(phase, 0.0)).toArray()).median();
    }

    private void printClassLoading(List<Subject> functions) throws Exception {
        String flags = flagSets.containsKey("c1") ? "c1" : flagSets.keySet().iterator().next();
        for (Subject function : functions) {
            if (CLASS_LOADING_SHOWN.contains(function.name())) {
                prepare(function);
                Map<String, long[]> libraries = function.driver().classLoading(function.classPath(), function.handler(),
                        function.event().apply(-3), flagSets.get(flags));
                printClassLoading(function.name(), flags, libraries);
            }
        }
    }

    private static void printClassLoading(String function, String flags, Map<String, long[]> libraries) {
        System.out.printf("Classes loaded by %s (%s, one run; uptime ms of the first and last class; ~ marks end of init and of the event):%n%n", function, flags);
        System.out.println("| library | classes | first | last |");
        System.out.println("|---|---:|---:|---:|");
        libraries.entrySet().stream()
                .sorted((a, b) -> Long.compare(a.getValue()[1], b.getValue()[1]))
                .forEach(e -> System.out.printf("| %s | %d | %d | %d |%n", e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]));
        System.out.printf("| (total) | %d | | |%n%n", libraries.values().stream().mapToLong(v -> v[0]).sum());
    }

    /** The read function's memory after 2,000 more reads of one file (C1); nothing when it is not measured. */
    private void printMemory(List<Subject> functions) throws Exception {
        Optional<Subject> read = functions.stream().filter(f -> f.name().equals(READ)).findFirst();
        if (read.isEmpty()) {
            return;
        }
        Map<String, String> memory = new LinkedHashMap<>();
        prepare(read.get());
        read.get().driver().run(read.get().classPath(), read.get().handler(), read.get().event().apply(0), List.of(C1), 2000, memory);
        System.out.printf(Locale.ROOT, "Memory of the read function in its own JVM (C1, after 2,000 more reads): heap after GC %.1f MB, RSS %.1f MB, peak RSS %.1f MB%n%n",
                Long.parseLong(memory.get("heapAfterGc")) / 1e6, Long.parseLong(memory.get("rss")) / 1e6, Long.parseLong(memory.get("peakRss")) / 1e6);
    }
}
