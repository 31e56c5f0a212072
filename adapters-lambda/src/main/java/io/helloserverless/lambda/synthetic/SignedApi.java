package io.helloserverless.lambda.synthetic;

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
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
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
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    SignedApi(URI baseUrl, AwsCredentialsProvider credentials, String region, HttpClient http, Duration requestTimeout) {
        this.baseUrl = baseUrl;
        this.credentials = credentials;
        this.region = region;
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    Response send(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(method))
                .uri(URI.create(baseUrl + pathAndQuery));
        headers.forEach(unsigned::putHeader);
        // Credentials are resolved per request, not at construction: the role's keys rotate, and
        // resolving them must not happen before a SnapStart snapshot.
        SignedRequest signed = signer.sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));

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
