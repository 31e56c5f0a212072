package io.helloserverless.rehearsal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./dev rehearse cold}: cold starts of our {@code read-file} next to AWS's own Dagger sample
 * function ({@code ../shared/peer/}), both run the same way: a fresh execution environment under
 * the official runtime interface client, the deployed JVM flags, one event, timed from the
 * environment's start to the answered event, rounds interleaved so that noise hits both alike.
 * Ours reads a file nobody has read yet (a miss: Secrets Manager, PostgreSQL, Redis, S3, all over
 * TLS where AWS has TLS); the peer does one DynamoDB GetItem against the peer's local stub.
 * Printed for two cores and for one ({@code taskset -c 1}); Lambda at 1,024 MB has less than one.
 *
 * <p>Arguments: rounds (default 10), the peer's folder (default {@code ../shared/peer}).
 */
public final class PeerColdStart {

    private static final Pattern REPORT = Pattern.compile(
            "REPORT RequestId: \\S+\\tDuration: ([\\d.]+) ms.*Init Duration: ([\\d.]+) ms");

    private record Sample(double wallMs, double initMs, double invokeMs) {
    }

    private PeerColdStart() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path peerFolder = Path.of(args.length > 1 ? args[1] : "../shared/peer").toAbsolutePath();
        if (!Files.exists(peerFolder.resolve("aws-samples-dagger-products.jar"))) {
            System.err.println("no peer at " + peerFolder + " (aws-samples-dagger-products.jar)");
            System.exit(2);
        }
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logs, true, StandardCharsets.UTF_8);
        Path data = Files.createTempDirectory("hs-cold");
        Rehearsal.Options options = Rehearsal.Options.parse(new String[] {"--port=0", "--data-dir=" + data});
        options = new Rehearsal.Options(0, data, options.terraform(), options.functions(), options.runtime(), 1, false);
        int httpPort = freePort();
        int udpPort = freePort();
        Process stub = new ProcessBuilder("python3", peerFolder.resolve("dynamodb_stub.py").toString(),
                String.valueOf(httpPort), String.valueOf(udpPort)).redirectErrorStream(true)
                .redirectOutput(data.resolve("stub.log").toFile()).start();
        try (Rehearsal rehearsal = Rehearsal.start(options, log);
             LambdaService peer = peer(peerFolder, data, options.runtime().toAbsolutePath(), httpPort, udpPort, log)) {
            String read = rehearsal.handledBy("ReadFileFunction");
            String create = rehearsal.handledBy("CreateFileFunction");
            LambdaService ours = rehearsal.function(read);
            String ourEvent = Files.readString(peerFolder.resolve("get-product-event.json"));
            String peerEvent = ourEvent;
            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            for (String cores : List.of("0-1", "1")) {
                List<String> launcher = cores.equals("0-1") ? List.of() : List.of("taskset", "-c", cores);
                ours.launchUnder(launcher);
                peer.launchUnder(launcher);
                String label = cores.equals("0-1") ? "2 cores" : "1 core";
                for (int round = 0; round < rounds; round++) {
                    String name = "cold-" + UUID.randomUUID() + ".txt";
                    if (!(rehearsal.invoke(create, createEvent(ourEvent, name)) instanceof LambdaService.Outcome.Success)) {
                        throw new IllegalStateException("could not create " + name);
                    }
                    samples.computeIfAbsent(read + ", " + label, k -> new ArrayList<>())
                            .add(cold(ours, readEvent(ourEvent, name), logs, "\"statusCode\":200"));
                    samples.computeIfAbsent("peer, " + label, k -> new ArrayList<>())
                            .add(cold(peer, peerEvent, logs, "Cold Start Widget"));
                }
            }
            print(samples, rounds, read);
        } finally {
            stub.destroyForcibly();
        }
    }

    /** A fresh environment handles {@code event}; its wall time, and the REPORT line's init and invoke. */
    private static Sample cold(LambdaService function, String event, ByteArrayOutputStream logs, String expected) {
        function.retire();
        long started = System.nanoTime();
        LambdaService.Outcome outcome = function.invoke(event.getBytes(StandardCharsets.UTF_8));
        double wall = (System.nanoTime() - started) / 1e6;
        if (!(outcome instanceof LambdaService.Outcome.Success success)
                || !new String(success.payload(), StandardCharsets.UTF_8).contains(expected)) {
            throw new IllegalStateException(function.name() + " did not answer as expected: " + outcome);
        }
        String reportLines;
        synchronized (logs) {
            reportLines = logs.toString(StandardCharsets.UTF_8);
        }
        Matcher report = null;
        for (String line : reportLines.lines().filter(l -> l.startsWith("[" + function.name() + "] REPORT")).toList()) {
            Matcher m = REPORT.matcher(line);
            if (m.find()) {
                report = m;
            }
        }
        if (report == null) {
            throw new IllegalStateException("no cold REPORT line for " + function.name());
        }
        return new Sample(wall, Double.parseDouble(report.group(2)), Double.parseDouble(report.group(1)));
    }

    private static void print(Map<String, List<Sample>> samples, int rounds, String ours) {
        System.out.printf("%nCold start under the Lambda runtime interface client, median of %d, interleaved%n", rounds);
        System.out.printf("%-20s %12s %12s %12s %10s%n", "function", "wall ms", "init ms", "invoke ms", "vs peer");
        for (String cores : List.of("2 cores", "1 core")) {
            double peerWall = median(samples.get("peer, " + cores), Sample::wallMs);
            for (String key : List.of(ours + ", " + cores, "peer, " + cores)) {
                List<Sample> list = samples.get(key);
                double wall = median(list, Sample::wallMs);
                System.out.printf("%-20s %12.0f %12.0f %12.0f %10.2f%n", key, wall, median(list, Sample::initMs),
                        median(list, Sample::invokeMs), wall / peerWall);
            }
        }
    }

    private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> value) {
        double[] values = samples.stream().mapToDouble(value).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    /** The peer as its README says to run it: its jar, its handler, its environment, the deployed flags. */
    private static LambdaService peer(Path folder, Path data, Path runtime, int httpPort, int udpPort, PrintStream log)
            throws IOException {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        environment.put("PRODUCT_TABLE_NAME", "ProductsTable");
        environment.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        environment.put("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:" + udpPort);
        environment.put("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        environment.put("DYNAMODB_ENDPOINT_OVERRIDE", "http://127.0.0.1:" + httpPort);
        Map<String, String> lambda = new LinkedHashMap<>();
        lambda.put("AWS_REGION", "eu-west-1");
        lambda.put("AWS_DEFAULT_REGION", "eu-west-1");
        lambda.put("AWS_ACCESS_KEY_ID", "ASIAPEERBENCHMARK0000");
        lambda.put("AWS_SECRET_ACCESS_KEY", "peer-benchmark-not-a-secret");
        lambda.put("AWS_SESSION_TOKEN", "peer-benchmark-token");
        lambda.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        lambda.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        lambda.put("TZ", ":UTC");
        lambda.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        Deployment.Function function = new Deployment.Function("peer",
                "software.amazonaws.example.product.handler.GetProductByIdHandler::handleRequest", 1024, 10,
                environment, List.of(), 1);
        return new LambdaService(function, folder.resolve("aws-samples-dagger-products.jar"), data.resolve("tasks").resolve("peer"),
                runtime, lambda, List.of(), "arn:aws:lambda:eu-west-1:123456789012:function:peer", 1, log);
    }

    /** The peer's REST proxy event, made a GET of {@code /v1/files/{name}}. */
    private static String readEvent(String template, String name) {
        JsonObject event = JsonParser.parseString(template).getAsJsonObject();
        event.addProperty("resource", "/v1/files/{name}");
        event.addProperty("path", "/v1/files/" + name);
        JsonObject parameters = new JsonObject();
        parameters.addProperty("name", name);
        event.add("pathParameters", parameters);
        event.getAsJsonObject("requestContext").addProperty("resourcePath", "/v1/files/{name}");
        event.getAsJsonObject("requestContext").addProperty("requestId", UUID.randomUUID().toString());
        return event.toString();
    }

    /** The same, made a POST of {@code /v1/files?name=...} with a small text body. */
    private static String createEvent(String template, String name) {
        JsonObject event = JsonParser.parseString(template).getAsJsonObject();
        event.addProperty("resource", "/v1/files");
        event.addProperty("path", "/v1/files");
        event.addProperty("httpMethod", "POST");
        event.add("pathParameters", null);
        JsonObject query = new JsonObject();
        query.addProperty("name", name);
        event.add("queryStringParameters", query);
        event.getAsJsonObject("headers").addProperty("Content-Type", "text/plain");
        com.google.gson.JsonArray contentType = new com.google.gson.JsonArray();
        contentType.add("text/plain");
        event.getAsJsonObject("multiValueHeaders").add("Content-Type", contentType);
        event.getAsJsonObject("requestContext").addProperty("resourcePath", "/v1/files");
        event.getAsJsonObject("requestContext").addProperty("httpMethod", "POST");
        event.getAsJsonObject("requestContext").addProperty("requestId", UUID.randomUUID().toString());
        event.addProperty("body", "a file for a cold read\n");
        return event.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
