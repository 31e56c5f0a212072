package io.helloserverless.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** Plain requests to one laptop server, trusting its own certificate, for tests that run several. */
record LaptopClient(LocalServer server, HttpClient client) {

    static LaptopClient of(LocalServer server) throws Exception {
        return new LaptopClient(server, RawClient.httpClient(server.certificate()));
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
