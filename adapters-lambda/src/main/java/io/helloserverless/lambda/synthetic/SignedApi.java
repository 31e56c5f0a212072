package io.helloserverless.lambda.synthetic;

import io.helloserverless.lambda.http.SigV4;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Calls the API the way an IAM-authorised consumer does: each request signed with SigV4 for
 * {@code execute-api}, then sent exactly as signed by the JDK client.
 */
final class SignedApi {

    /** The JDK client sets these itself (from the URI and the body) and refuses them as headers. */
    private static final Set<String> SET_BY_THE_CLIENT = Set.of("host", "content-length");

    record Response(int status, Optional<String> etag, byte[] body) {
    }

    private final URI baseUrl;
    private final SigV4 signer;
    private final HttpClient http;
    private final Duration requestTimeout;

    SignedApi(URI baseUrl, AwsCredentialsProvider credentials, String region, HttpClient http, Duration requestTimeout) {
        this.baseUrl = baseUrl;
        this.signer = new SigV4(credentials, "execute-api", region);
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    Response send(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(method))
                .uri(URI.create(baseUrl + pathAndQuery));
        headers.forEach(unsigned::putHeader);
        SignedRequest signed = signer.sign(unsigned.build(), body);

        HttpRequest.Builder request = HttpRequest.newBuilder(signed.request().getUri())
                .timeout(requestTimeout)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        signed.request().forEachHeader((name, values) -> {
            if (!SET_BY_THE_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), response.headers().firstValue("ETag"), response.body());
    }
}
