package io.helloserverless.lambda.secrets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client that never leaves the JVM: it reads each request's body and answers every
 * request with the same canned response. Priming runs the whole {@code GetSecretValue} path over it
 * (signing, the SDK's HTTP request and response types, the answer's JSON) without a network.
 *
 * <p>The same as adapters-s3's, on purpose: list-files, migrate and dispatch-events read a secret
 * but carry no adapters-s3 jar, and a jar of its own would cost every zip a cold-start lookup.
 */
final class OfflineHttpClient implements SdkHttpClient {

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;

    OfflineHttpClient(int status, Map<String, String> headers, byte[] body) {
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = body.clone();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream sent = request.contentStreamProvider().get().newStream()) {
                        sent.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
                SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status);
                headers.forEach(response::putHeader);
                response.putHeader("Content-Length", Integer.toString(body.length));
                return HttpExecuteResponse.builder()
                        .response(response.build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public void close() {
    }
}
