package io.helloserverless.benchmarks;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.helloserverless.benchmarks.runtime.FakeRuntime;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Cold starts: each function's own zip unpacked, a fresh JVM per run ({@link FakeRuntime} on
 * {@code lib/*}), one event handled against the real servers; the wall time from starting the
 * process to the handled event. The floor, a JVM running a handler that does nothing, is
 * measured in the same rounds, interleaved with the functions so that noise hits all alike.
 */
final class ColdStart {

    record Run(double wallMs, Map<String, Double> phases, String status) {
    }

    private static final Pattern PHASE = Pattern.compile("(\\w+)=([\\d.]+)");
    private static final Pattern STATUS = Pattern.compile("status=(\\S+)");

    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final Path work;
    private final Map<String, String> environment;
    private final List<String> launcher;
    private final Path log;

    ColdStart(Path work, Map<String, String> environment) {
        this(work, environment, List.of());
    }

    /** Every child JVM is started by {@code launcher} (such as {@code taskset -c 1}), or directly when it is empty. */
    ColdStart(Path work, Map<String, String> environment, List<String> launcher) {
        this.work = work;
        this.environment = environment;
        this.launcher = launcher;
        this.log = work.resolve("children.log");
    }

    /** The same driver (work folder, log, launcher) for children that get {@code environment} instead. */
    ColdStart withEnvironment(Map<String, String> environment) {
        return new ColdStart(work, environment, launcher);
    }

    /** The function's class path: its zip's {@code lib/*.jar}, unpacked once, plus what the managed runtime brings. */
    String classPath(Path zip) throws IOException, ClassNotFoundException {
        Path lib = work.resolve(zip.getFileName().toString().replace(".zip", "")).resolve("lib");
        if (!Files.isDirectory(lib)) {
            Files.createDirectories(lib);
            try (ZipFile file = new ZipFile(zip.toFile())) {
                for (ZipEntry entry : file.stream().filter(e -> e.getName().endsWith(".jar")).toList()) {
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, lib.resolve(Path.of(entry.getName()).getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        String path = lib + File.separator + "*" + File.pathSeparator + runtimeClassPath();
        if (Boolean.getBoolean("bench.joda")) {
            // The managed runtime's event serialiser loads Joda-Time from the function's class path
            // (aws-lambda-java-libs#72): a zip without it fails every event of a RequestHandler<APIGatewayProxyRequestEvent, ...>.
            path += File.pathSeparator + codeSource(Class.forName("org.joda.time.DateTime"));
        }
        return path;
    }

    /** A self-contained jar (a deployment jar with its dependencies inside) plus what the managed runtime brings. */
    String jarClassPath(Path jar) {
        return jar + File.pathSeparator + runtimeClassPath();
    }

    /** The floor's class path: the Lambda libraries alone (with the Joda-Time the runtime's event serialiser loads). */
    String floorClassPath() throws ClassNotFoundException {
        return String.join(File.pathSeparator, codeSource(RequestHandler.class), codeSource(APIGatewayProxyRequestEvent.class),
                codeSource(Class.forName("org.joda.time.DateTime")), runtimeClassPath());
    }

    private static String runtimeClassPath() {
        return codeSource(FakeRuntime.class) + File.pathSeparator + codeSource(LambdaEventSerializers.class);
    }

    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One fresh JVM handling one event (and {@code repeat} more when asked); fails loudly when the child does. */
    Run run(String classPath, String handler, String eventJson, List<String> jvmOptions, int repeat, Map<String, String> memory)
            throws IOException, InterruptedException {
        Path event = Files.createTempFile(work, "event", ".json");
        Files.writeString(event, eventJson);
        List<String> command = new ArrayList<>(launcher);
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, FakeRuntime.class.getName(), handler, event.toString()));
        if (repeat > 0) {
            command.add(Integer.toString(repeat));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", work.toString());
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        String cold = null;
        double wall = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("COLD ")) {
                    wall = (System.nanoTime() - started) / 1e6;
                    cold = line;
                    if (repeat == 0) {
                        break;
                    }
                } else if (line.startsWith("MEMORY ") && memory != null) {
                    Matcher m = PHASE.matcher(line);
                    while (m.find()) {
                        memory.put(m.group(1), m.group(2));
                    }
                    break;
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.delete(event);
        if (cold == null) {
            throw new IllegalStateException(handler + " handled no event; see " + log);
        }
        Map<String, Double> phases = new LinkedHashMap<>();
        Matcher m = PHASE.matcher(cold);
        while (m.find()) {
            phases.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        Matcher s = STATUS.matcher(cold);
        return new Run(wall, phases, s.find() ? s.group(1) : "?");
    }

    /**
     * Loads counted per library, from a run with {@code -Xlog:class+load}: library, classes, and
     * the uptime of the first and last one; the phase marks of {@link FakeRuntime} give the phases.
     */
    Map<String, long[]> classLoading(String classPath, String handler, String eventJson, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Path file = work.resolve("class-load-" + handler.substring(handler.lastIndexOf('.') + 1) + ".log");
        Files.deleteIfExists(file);
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Xlog:class+load=info:file=" + file + ":uptimemillis");
        run(classPath, handler, eventJson, options, 0, null);
        Pattern line = Pattern.compile("^\\[(\\d+)ms\\] (\\S+) source: (.*)$");
        Map<String, long[]> libraries = new TreeMap<>();
        for (String text : Files.readAllLines(file)) {
            Matcher m = line.matcher(text);
            if (!m.matches()) {
                continue;
            }
            long at = Long.parseLong(m.group(1));
            String className = m.group(2);
            if (className.endsWith("Marks$Initialised") || className.endsWith("Marks$Handled")) {
                libraries.put("~" + className.substring(className.indexOf('$') + 1), new long[] {0, at, at});
                continue;
            }
            String library = library(m.group(3));
            long[] entry = libraries.computeIfAbsent(library, k -> new long[] {0, Long.MAX_VALUE, 0});
            entry[0]++;
            entry[1] = Math.min(entry[1], at);
            entry[2] = Math.max(entry[2], at);
        }
        return libraries;
    }

    private static String library(String source) {
        if (source.startsWith("shared objects file")) {
            return "JDK (from the CDS archive)";
        }
        if (source.startsWith("jrt:/")) {
            return "JDK (from jrt)";
        }
        if (!source.startsWith("file:")) {
            return "(generated: lambdas, proxies, reflection)";
        }
        String jar = source.substring(source.lastIndexOf('/') + 1);
        Matcher versioned = Pattern.compile("^(.+?)-\\d.*\\.jar$").matcher(jar);
        if (versioned.matches()) {
            return versioned.group(1);
        }
        if (source.contains("benchmarks")) {
            return "(the fake runtime)";
        }
        return jar.isEmpty() ? source : jar;
    }
}
