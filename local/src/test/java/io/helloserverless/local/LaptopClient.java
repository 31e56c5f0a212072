package io.helloserverless.local;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Plain requests to one laptop server, trusting its own certificate, for tests that run several. */
record LaptopClient(LocalServer server, HttpClient client) {

    static LaptopClient of(LocalServer server) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(server.certificate())) {
            trusted.setCertificateEntry("localhost", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return new LaptopClient(server, HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build());
    }

    /** Creates {@code name} (a plain name, no escaping) and answers the status. */
    int create(String name) throws Exception {
        return send(HttpRequest.newBuilder(uri("/v1/files?name=" + name))
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("hello " + name)));
    }

    int read(String name) throws Exception {
        return send(HttpRequest.newBuilder(uri("/v1/files/" + name)));
    }

    private int send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.discarding()).statusCode();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("https://localhost:" + server.port() + pathAndQuery);
    }
}
