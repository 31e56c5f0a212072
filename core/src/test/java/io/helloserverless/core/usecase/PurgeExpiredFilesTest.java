package io.helloserverless.core.usecase;

import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PurgeExpiredFilesTest {

    private final FileServiceFixture service = new FileServiceFixture();

    @Test
    void purgesExpiredFilesAndTheirBlobsAndKeepsLiveOnes() {
        for (int i = 0; i < 7; i++) {
            service.create.create(name("old-" + i), text("x"));
        }
        service.clock.advance(Duration.ofDays(10));
        service.create.create(name("live"), text("y"));
        service.clock.advance(Duration.ofDays(20));

        assertEquals(7, service.purge.purge(3, 10));

        assertEquals(List.of(name("live")), List.copyOf(service.metadata.rows().keySet()));
        assertEquals(1, service.blobs.blobs().size());
    }

    @Test
    void stopsAfterTheLastBatchItWasAllowed() {
        for (int i = 0; i < 7; i++) {
            service.create.create(name("old-" + i), text("x"));
        }
        service.clock.advance(Duration.ofDays(30));

        assertEquals(4, service.purge.purge(2, 2));
        assertEquals(3, service.metadata.rows().size());
    }

    @Test
    void rejectsANonPositiveBatch() {
        assertThrows(IllegalArgumentException.class, () -> service.purge.purge(0, 1));
    }
}
