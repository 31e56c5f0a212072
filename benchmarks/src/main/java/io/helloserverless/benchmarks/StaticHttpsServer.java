package io.helloserverless.benchmarks;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.helloserverless.local.HttpsFront;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The throughput floor: the laptop server's HTTP stack (its {@link HttpsFront}: Helidon's web
 * server, the same certificate, protocols and limits, a deadline per request) answering every
 * request with a fixed body of the read's size and headers like the read's. Arguments: port,
 * keystore, its password file, body size, and the requests served at once (default 64, the laptop
 * server's).
 */
public final class StaticHttpsServer {

    private StaticHttpsServer() {
    }

    public static void main(String[] args) throws Exception {
        char[] password = Files.readString(Path.of(args[2])).strip().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        String body = "x".repeat(Integer.parseInt(args[3]));
        int maxRequests = args.length > 4 ? Integer.parseInt(args[4]) : 64;

        HttpsFront.start(Integer.parseInt(args[0]), tls, maxRequests, (request, response) -> {
            request.content().inputStream().transferTo(OutputStream.nullOutputStream());
            HttpsFront.send(request, response, new APIGatewayProxyResponseEvent()
                    .withStatusCode(200)
                    .withHeaders(Map.of(
                            "Content-Type", "text/plain; charset=utf-8",
                            "ETag", "\"0123456789abcdef0123456789abcdef\"",
                            "X-Request-Id", "00000000-0000-0000-0000-000000000000"))
                    .withBody(body));
        });
        System.err.println("static server ready");
    }
}
