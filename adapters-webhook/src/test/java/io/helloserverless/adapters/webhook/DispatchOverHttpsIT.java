package io.helloserverless.adapters.webhook;

import static io.helloserverless.core.testing.TestFiles.RETENTION;
import static io.helloserverless.core.testing.TestFiles.T0;
import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.port.ChangeNotifier;
import io.helloserverless.core.testing.InMemoryMetadataStore;
import io.helloserverless.core.testing.MutableClock;
import io.helloserverless.core.usecase.DispatchChangeEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher, the outbox the metadata store fills, and this adapter, against a real HTTPS receiver. */
class DispatchOverHttpsIT {

    private static final String KEY = "key-" + UUID.randomUUID();
    private static final DispatchChangeEvents.Settings SETTINGS = new DispatchChangeEvents.Settings(
            3, 20, 4, Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5));

    @TempDir
    Path workDirectory;
    private HttpsReceiver receiver;
    private WebhookNotifier notifier;
    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryMetadataStore store = new InMemoryMetadataStore();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new HttpsReceiver(workDirectory, KEY);
        notifier = WebhookNotifier.create(receiver.endpoint(), ApiKey.fixed(KEY), Duration.ofSeconds(2),
                Duration.ofSeconds(2), receiver.clientTls());
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void deliversEveryChangeOnce() {
        FileMetadata a1 = file("a.txt", "1", T0);
        store.insert(a1);
        store.insert(file("b.txt", T0));
        FileMetadata a2 = a1.nextRevision(text("2"), T0, RETENTION);
        store.replace(a1, a2);
        store.delete(a2);
        store.purgeExpired(T0.plus(RETENTION), 10);

        DispatchChangeEvents.Report report = dispatcher(notifier).dispatch();

        assertEquals(5, report.delivered());
        assertEquals(5, receiver.deliveries().size());
        List<String> delivered = described(receiver.deliveries());
        assertEquals(List.of("a.txt created", "a.txt updated", "a.txt deleted"), ofFile("a.txt", delivered));
        assertEquals(List.of("b.txt created", "b.txt expired"), ofFile("b.txt", delivered));
        assertEquals(5, distinctIds(receiver.deliveries()).size());
    }

    @Test
    void deliversAfterTheReceiverFailedSeveralTimes() {
        store.insert(file("a.txt", T0));
        receiver.answer(500, 503, 502);

        for (int run = 0; run < 4; run++) {
            dispatcher(notifier).dispatch();
            clock.advance(Duration.ofMinutes(1));
        }

        assertEquals(List.of(500, 503, 502, 204), receiver.deliveries().stream().map(HttpsReceiver.Delivery::status).toList());
        assertEquals(1, distinctIds(receiver.deliveries()).size());
        assertEquals(List.of(), store.outbox().pendingEvents());
    }

    @Test
    void parksAnEventAfterTheMaximumAttempts() {
        store.insert(file("a.txt", T0));
        store.insert(file("b.txt", T0));
        receiver.answer(500, 204, 500, 500, 500);

        DispatchChangeEvents.Report last = null;
        for (int run = 0; run < 6; run++) {
            last = dispatcher(notifier).dispatch();
            clock.advance(Duration.ofMinutes(1));
        }

        assertEquals(1, last.parkedInAll());
        assertEquals(List.of("b.txt created"), described(receiver.accepted()));
        assertEquals(5, receiver.deliveries().size(), "4 attempts at a.txt, 1 at b.txt");
    }

    @Test
    void sendsNoEventForAChangeThatDidNotCommit() {
        FileMetadata v1 = file("a.txt", "1", T0);
        store.insert(v1);
        store.replace(v1, v1.nextRevision(text("2"), T0, RETENTION));
        assertFalse(store.replace(v1, v1.nextRevision(text("lost"), T0, RETENTION)));
        assertFalse(store.insert(file("a.txt", "taken", T0)));
        store.failWrites(InMemoryMetadataStore.Fault.BEFORE_COMMIT);
        assertThrows(RuntimeException.class, () -> store.insert(file("c.txt", T0)));
        store.failWrites(InMemoryMetadataStore.Fault.NONE);

        dispatcher(notifier).dispatch();

        assertEquals(List.of("a.txt created", "a.txt updated"), described(receiver.deliveries()));
    }

    @Test
    void losesNothingWhenTheDispatcherDiesMidBatchAndResendsWithTheSameId() {
        for (String name : List.of("a.txt", "b.txt", "c.txt", "d.txt")) {
            store.insert(file(name, T0));
        }
        AtomicInteger sends = new AtomicInteger();
        ChangeNotifier diesAfterTheSecondSend = event -> {
            ChangeNotifier.Outcome outcome = notifier.send(event);
            if (sends.incrementAndGet() == 2) {
                throw new IllegalStateException("the execution environment was ended");
            }
            return outcome;
        };

        assertThrows(IllegalStateException.class, () -> dispatcher(diesAfterTheSecondSend).dispatch());
        clock.advance(SETTINGS.lease());
        dispatcher(notifier).dispatch();

        List<HttpsReceiver.Delivery> got = receiver.deliveries();
        assertEquals(List.of("a.txt created", "b.txt created", "b.txt created", "c.txt created", "d.txt created"),
                described(got));
        assertEquals(got.get(1).header("Idempotency-Key"), got.get(2).header("Idempotency-Key"));
        assertEquals(4, distinctIds(got).size());
        assertEquals(List.of(), store.outbox().pendingEvents());
    }

    private DispatchChangeEvents dispatcher(ChangeNotifier via) {
        return new DispatchChangeEvents(store.outbox(), via, clock, SETTINGS);
    }

    private static List<String> described(List<HttpsReceiver.Delivery> deliveries) {
        return deliveries.stream().map(d -> {
            JsonObject body = JsonParser.parseString(d.body()).getAsJsonObject();
            return body.get("name").getAsString() + " " + body.get("type").getAsString();
        }).toList();
    }

    private static List<String> ofFile(String name, List<String> described) {
        return described.stream().filter(d -> d.startsWith(name + " ")).toList();
    }

    private static Set<String> distinctIds(List<HttpsReceiver.Delivery> deliveries) {
        Set<String> ids = new LinkedHashSet<>();
        deliveries.forEach(d -> ids.add(JsonParser.parseString(d.body()).getAsJsonObject().get("id").getAsString()));
        return ids;
    }
}
