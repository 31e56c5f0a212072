package io.helloserverless.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * AWS's Dagger sample function (the folder {@code ../shared/peer}; its README says how to run it),
 * as a row of the cold-start table: its deployment jar, its {@code GetProductByIdHandler}, its event,
 * and its DynamoDB stub (python3) answering the one GetItem it makes, started here and stopped on
 * {@link #close()}. {@code ./dev rehearse cold} runs the same peer under the runtime interface client.
 */
final class Peer implements AutoCloseable {

    static final String NAME = "peer: AWS Dagger sample";
    static final String HANDLER = "software.amazonaws.example.product.handler.GetProductByIdHandler";
    private static final String JAR = "aws-samples-dagger-products.jar";

    private final Path folder;
    private final Process stub;
    private final int httpPort;
    private final int udpPort;

    private Peer(Path folder, Process stub, int httpPort, int udpPort) {
        this.folder = folder;
        this.stub = stub;
        this.httpPort = httpPort;
        this.udpPort = udpPort;
    }

    /** The peer in {@code folder} with its stub listening, or empty when the folder holds no peer. */
    static Optional<Peer> in(Path folder, Path work) throws IOException, InterruptedException {
        if (!Files.isRegularFile(folder.resolve(JAR))) {
            return Optional.empty();
        }
        int httpPort = freePort();
        int udpPort = freePort();
        Process stub = new ProcessBuilder("python3", folder.resolve("dynamodb_stub.py").toString(),
                String.valueOf(httpPort), String.valueOf(udpPort))
                .redirectErrorStream(true).redirectOutput(work.resolve("peer-stub.log").toFile()).start();
        Peer peer = new Peer(folder.toAbsolutePath(), stub, httpPort, udpPort);
        peer.awaitStub();
        return Optional.of(peer);
    }

    Path jar() {
        return folder.resolve(JAR);
    }

    /** GET /products/42: the product the stub knows. */
    String event() throws IOException {
        return Files.readString(folder.resolve("get-product-event.json"));
    }

    /** The environment the peer's README gives: its table, X-Ray to the stub's UDP port, DynamoDB to its HTTP port. */
    Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("AWS_REGION", BenchEnvironment.REGION);
        // Dummy keys for the SDK's default chain: the stub checks no signature.
        environment.put("AWS_ACCESS_KEY_ID", "ASIAPEERBENCHMARK0000");
        environment.put("AWS_SECRET_ACCESS_KEY", "peer-benchmark-not-a-secret");
        environment.put("AWS_SESSION_TOKEN", "peer-benchmark-token");
        environment.put("PRODUCT_TABLE_NAME", "ProductsTable");
        environment.put("LAMBDA_TASK_ROOT", folder.toString());
        environment.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        environment.put("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:" + udpPort);
        environment.put("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        environment.put("DYNAMODB_ENDPOINT_OVERRIDE", "http://127.0.0.1:" + httpPort);
        return environment;
    }

    private void awaitStub() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", httpPort), 200);
                return;
            } catch (IOException notYet) {
                if (!stub.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
        }
        close();
        throw new IOException("the peer's DynamoDB stub did not start; see peer-stub.log in the work folder");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        stub.destroy();
    }
}
