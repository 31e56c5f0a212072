package io.helloserverless.adapters.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real HTTPS receiver on 127.0.0.1 (the JDK's server, a self-signed certificate made by
 * {@code keytool}) that records every request, accepts one API key, and answers with the statuses
 * it was told to, in turn, then 204.
 */
final class HttpsReceiver implements AutoCloseable {

    /** One request as it arrived. */
    record Delivery(String method, Map<String, List<String>> headers, String body, int status) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst().orElse(null);
        }
    }

    private static final String PASSWORD = "receiver-keystore";

    private final HttpsServer server;
    private final SSLContext clientTls;
    private final Deque<Integer> scripted = new ArrayDeque<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private volatile String acceptedKey;
    private volatile Duration delay = Duration.ZERO;
    private volatile Duration trickle = Duration.ZERO;

    HttpsReceiver(Path workDirectory, String acceptedKey) throws Exception {
        this.acceptedKey = acceptedKey;
        KeyStore keys = selfSignedKeyStore(workDirectory);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD.toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);

        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("receiver", keys.getCertificate("receiver"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trustManagers.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/events", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("https://localhost:" + server.getAddress().getPort() + "/events");
    }

    /** What a client needs to trust this receiver's certificate. */
    SSLContext clientTls() {
        return clientTls;
    }

    synchronized void answer(Integer... statuses) {
        scripted.addAll(List.of(statuses));
    }

    void acceptKey(String key) {
        acceptedKey = key;
    }

    void delayAnswers(Duration delay) {
        this.delay = delay;
    }

    /** Answers at once with a status and headers, then sends its body a byte every {@code pause}, for ten bytes. */
    void trickleBodies(Duration pause) {
        this.trickle = pause;
    }

    synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The requests it answered with a 2xx. */
    synchronized List<Delivery> accepted() {
        return deliveries.stream().filter(d -> d.status() / 100 == 2).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!delay.isZero()) {
                TimeUnit.MILLISECONDS.sleep(delay.toMillis());
            }
            int status;
            synchronized (this) {
                boolean authorised = ("Bearer " + acceptedKey).equals(exchange.getRequestHeaders().getFirst("Authorization"));
                status = !authorised ? 401 : scripted.isEmpty() ? 204 : scripted.poll();
                deliveries.add(new Delivery(exchange.getRequestMethod(), Map.copyOf(exchange.getRequestHeaders()), body, status));
            }
            if (trickle.isZero()) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status == 204 ? 200 : status, 10); // 204 may carry no body
            for (int i = 0; i < 10; i++) {
                exchange.getResponseBody().write('.');
                exchange.getResponseBody().flush();
                TimeUnit.MILLISECONDS.sleep(trickle.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static KeyStore selfSignedKeyStore(Path directory) throws Exception {
        Path file = directory.resolve("receiver.p12");
        Files.deleteIfExists(file);
        Process keytool = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return store;
    }
}
