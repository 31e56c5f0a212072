package io.helloserverless.adapters.webhook;

import static io.helloserverless.core.testing.TestFiles.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.helloserverless.core.domain.ChangeEvent;
import io.helloserverless.core.domain.ETag;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.ChangeNotifier.Outcome;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookNotifierIT {

    private static final String KEY = "key-" + UUID.randomUUID();
    private static final ChangeEvent EVENT = new ChangeEvent(
            UUID.fromString("0f8b7c1e-3c2a-4d5e-9f60-7a8b9c0d1e2f"), ChangeEvent.Type.UPDATED, FileName.of("réport ✓.txt"),
            new ETag("e7a1".repeat(8)), 2, 11, "ab".repeat(32), T0, 42);

    @TempDir
    Path workDirectory;
    private HttpsReceiver receiver;
    private CountingApiKey apiKey;
    private WebhookNotifier notifier;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new HttpsReceiver(workDirectory, KEY);
        apiKey = new CountingApiKey(KEY);
        notifier = WebhookNotifier.create(receiver.endpoint(), apiKey, Duration.ofSeconds(2), Duration.ofSeconds(2),
                receiver.clientTls());
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void postsTheEventAsJsonWithTheKeyAndTheEventIdInHeaders() {
        assertEquals(Outcome.DELIVERED, notifier.send(EVENT));

        HttpsReceiver.Delivery delivery = receiver.deliveries().getFirst();
        assertEquals("POST", delivery.method());
        assertEquals("Bearer " + KEY, delivery.header("Authorization"));
        assertEquals("0f8b7c1e-3c2a-4d5e-9f60-7a8b9c0d1e2f", delivery.header("Idempotency-Key"));
        assertEquals("updated", delivery.header("X-Event-Type"));
        assertEquals("application/json; charset=utf-8", delivery.header("Content-Type"));
        JsonObject body = JsonParser.parseString(delivery.body()).getAsJsonObject();
        JsonObject expected = JsonParser.parseString("""
                {"id":"0f8b7c1e-3c2a-4d5e-9f60-7a8b9c0d1e2f","type":"updated","name":"réport ✓.txt","etag":"\\"%s\\"",
                 "version":2,"size":11,"sha256":"%s","occurredAt":"2026-01-01T00:00:00Z","sequence":42}"""
                .formatted("e7a1".repeat(8), "ab".repeat(32))).getAsJsonObject();
        assertEquals(expected, body);
    }

    @Test
    void fetchesTheKeyAgainOnceWhenTheReceiverRefusesItAndSendsAgain() {
        receiver.acceptKey("rotated");
        apiKey.rotateTo("rotated");

        assertEquals(Outcome.DELIVERED, notifier.send(EVENT));

        assertEquals(1, apiKey.refreshes());
        assertEquals(List.of(401, 204), receiver.deliveries().stream().map(HttpsReceiver.Delivery::status).toList());
        assertEquals("Bearer rotated", receiver.deliveries().get(1).header("Authorization"));
    }

    @Test
    void reportsUnauthorisedWhenTheRefreshedKeyIsRefusedTooWithoutAskingAgain() {
        receiver.acceptKey("some other key");

        assertEquals(Outcome.UNAUTHORISED, notifier.send(EVENT));

        assertEquals(1, apiKey.refreshes());
        assertEquals(2, receiver.deliveries().size());
    }

    @Test
    void reportsAServerErrorAsRetryable() {
        receiver.answer(503);

        assertEquals(Outcome.FAILED_RETRYABLY, notifier.send(EVENT));
    }

    @Test
    void reportsTooManyRequestsAsRetryable() {
        receiver.answer(429);

        assertEquals(Outcome.FAILED_RETRYABLY, notifier.send(EVENT));
    }

    @Test
    void reportsARefusalOfTheEventItselfAsPermanent() {
        receiver.answer(422);

        assertEquals(Outcome.REJECTED_PERMANENTLY, notifier.send(EVENT));
    }

    @Test
    void givesUpOnASlowReceiverAfterTheRequestTimeout() {
        receiver.delayAnswers(Duration.ofSeconds(3));
        WebhookNotifier impatient = WebhookNotifier.create(receiver.endpoint(), apiKey, Duration.ofSeconds(2),
                Duration.ofMillis(300), receiver.clientTls());

        long started = System.nanoTime();
        assertEquals(Outcome.FAILED_RETRYABLY, impatient.send(EVENT));
        assertFalse(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(2)) > 0);
    }

    @Test
    void givesUpOnAReceiverThatTricklesItsBodyAfterTheRequestTimeout() {
        receiver.trickleBodies(Duration.ofMillis(300)); // headers at once, then 3 s of body
        WebhookNotifier impatient = WebhookNotifier.create(receiver.endpoint(), apiKey, Duration.ofSeconds(2),
                Duration.ofMillis(500), receiver.clientTls());

        long started = System.nanoTime();
        assertEquals(Outcome.FAILED_RETRYABLY, impatient.send(EVENT));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertFalse(took.compareTo(Duration.ofMillis(1500)) > 0, "the timeout covers the body too, took " + took);
    }

    @Test
    void reportsAKeyThatCannotBeReadAsRetryableWithoutThrowing() {
        ApiKey unreadable = new ApiKey() {
            @Override
            public String current() {
                throw new DependencyFailureException("secrets", "Secrets Manager is down");
            }

            @Override
            public String refresh() {
                throw new DependencyFailureException("secrets", "Secrets Manager is down");
            }
        };
        WebhookNotifier withoutKey = WebhookNotifier.create(receiver.endpoint(), unreadable, Duration.ofSeconds(2),
                Duration.ofSeconds(2), receiver.clientTls());

        assertEquals(Outcome.FAILED_RETRYABLY, withoutKey.send(EVENT), "the event waits for its retry; the run goes on");
        assertEquals(List.of(), receiver.deliveries());
    }

    @Test
    void reportsAKeyThatCannotBeRefreshedAsRetryable() {
        receiver.acceptKey("rotated");
        ApiKey stale = new ApiKey() {
            @Override
            public String current() {
                return KEY;
            }

            @Override
            public String refresh() {
                throw new DependencyFailureException("secrets", "Secrets Manager is down");
            }
        };
        WebhookNotifier notifierWithStaleKey = WebhookNotifier.create(receiver.endpoint(), stale, Duration.ofSeconds(2),
                Duration.ofSeconds(2), receiver.clientTls());

        assertEquals(Outcome.FAILED_RETRYABLY, notifierWithStaleKey.send(EVENT));
    }

    @Test
    void reportsAnUnreachableReceiverAsRetryable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        WebhookNotifier nowhere = WebhookNotifier.create(URI.create("https://127.0.0.1:" + closedPort + "/events"),
                apiKey, Duration.ofSeconds(1), Duration.ofSeconds(1), receiver.clientTls());

        assertEquals(Outcome.FAILED_RETRYABLY, nowhere.send(EVENT));
    }

    @Test
    void refusesAReceiverWhoseCertificateItDoesNotTrust() {
        WebhookNotifier trustingTheJdkOnly = WebhookNotifier.create(receiver.endpoint(), apiKey,
                Duration.ofSeconds(2), Duration.ofSeconds(2));

        assertEquals(Outcome.FAILED_RETRYABLY, trustingTheJdkOnly.send(EVENT));
        assertEquals(List.of(), receiver.deliveries());
    }

    @Test
    void refusesAPlainHttpEndpoint() {
        assertThrows(IllegalArgumentException.class, () -> WebhookNotifier.create(
                URI.create("http://localhost/events"), apiKey, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }
}
