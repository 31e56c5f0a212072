package io.helloserverless.adapters.webhook;

import io.helloserverless.core.domain.ChangeEvent;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.port.ChangeNotifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * Delivers a change event by {@code POST}ing it as JSON to the remote service's HTTPS endpoint
 * (JDK {@link HttpClient}: HTTP/2 where the server offers it, else HTTP/1.1; the JDK's TLS with
 * host name verification; a connect and a request timeout). Headers: {@code Authorization: Bearer
 * <API key>}, {@code Idempotency-Key: <event id>}, {@code X-Event-Type}. A 401 makes it fetch
 * the key again and send once more; the key is never logged nor put in a message.
 *
 * <p>Answers: 2xx delivered; 401 (after the one refresh) and 403 unauthorised; 408, 425, 429
 * and 5xx, timeouts and connection failures retryable; any other status a permanent refusal.
 */
public final class WebhookNotifier implements ChangeNotifier, AutoCloseable {

    private final URI endpoint;
    private final ApiKey apiKey;
    private final HttpClient client;
    private final Duration requestTimeout;
    /** Whether {@link #close} closes the client: only one this class built. */
    private final boolean ownsClient;

    /** Over a client built elsewhere; the caller keeps ownership of it. */
    public WebhookNotifier(URI endpoint, ApiKey apiKey, HttpClient client, Duration requestTimeout) {
        this(endpoint, apiKey, client, requestTimeout, false);
    }

    private WebhookNotifier(URI endpoint, ApiKey apiKey, HttpClient client, Duration requestTimeout, boolean ownsClient) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!"https".equals(endpoint.getScheme() == null ? null : endpoint.getScheme().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("the change event endpoint must be an https URL");
        }
        this.endpoint = endpoint;
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.client = Objects.requireNonNull(client, "client");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.ownsClient = ownsClient;
    }

    /** A notifier on its own client, trusting the JDK's certificate authorities. */
    public static WebhookNotifier create(URI endpoint, ApiKey apiKey, Duration connectTimeout, Duration requestTimeout) {
        return new WebhookNotifier(endpoint, apiKey, client(connectTimeout, null), requestTimeout, true);
    }

    /** A notifier whose client trusts what {@code tls} trusts (a private certificate authority, a test server). */
    public static WebhookNotifier create(URI endpoint, ApiKey apiKey, Duration connectTimeout, Duration requestTimeout,
                                         SSLContext tls) {
        return new WebhookNotifier(endpoint, apiKey, client(connectTimeout, Objects.requireNonNull(tls, "tls")), requestTimeout,
                true);
    }

    @Override
    public Outcome send(ChangeEvent event) {
        String body = ChangeEventJson.of(event);
        try {
            int status = post(event, body, apiKey.current());
            if (status == 401) {
                status = post(event, body, apiKey.refresh());
            }
            return outcomeOf(status);
        } catch (IOException e) {
            return Outcome.FAILED_RETRYABLY;
        } catch (DependencyFailureException e) {
            // The key could not be read (Secrets Manager down): this event waits for its retry, the run goes on.
            return Outcome.FAILED_RETRYABLY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.FAILED_RETRYABLY;
        }
    }

    static Outcome outcomeOf(int status) {
        if (status >= 200 && status < 300) {
            return Outcome.DELIVERED;
        }
        if (status == 401 || status == 403) {
            return Outcome.UNAUTHORISED;
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return Outcome.FAILED_RETRYABLY;
        }
        return Outcome.REJECTED_PERMANENTLY;
    }

    private int post(ChangeEvent event, String body, String key) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Authorization", "Bearer " + key)
                .header("Idempotency-Key", event.id().toString())
                .header("X-Event-Type", event.type().wireName())
                .header("User-Agent", "hello-serverless-change-events")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        // The request timeout covers the answer's headers only; this deadline covers its body too,
        // so that a receiver trickling its answer cannot hold the dispatcher.
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return response.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new HttpTimeoutException("no whole answer within " + requestTimeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** Closes the client this notifier built (its selector thread and connections); one given to it is left open. */
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    private static HttpClient client(Duration connectTimeout, SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }
}
