package io.helloserverless.core.testing;

import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.ChangeEventOutbox;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.port.MetadataStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/** The fakes the use-case tests rely on obey the same contracts as the real adapters. */
class InMemoryFakesTest {

    @Nested
    class MetadataStoreFake extends MetadataStoreContract {
        private final InMemoryMetadataStore store = new InMemoryMetadataStore();

        @Override
        protected MetadataStore store() {
            return store;
        }

        @Override
        protected ChangeEventOutbox outbox() {
            return store.outbox();
        }
    }

    @Nested
    class ChangeEventOutboxFake extends ChangeEventOutboxContract {
        private final InMemoryMetadataStore store = new InMemoryMetadataStore();

        @Override
        protected MetadataStore store() {
            return store;
        }

        @Override
        protected ChangeEventOutbox outbox() {
            return store.outbox();
        }
    }

    @Nested
    class BlobStoreFake extends BlobStoreContract {
        private final InMemoryBlobStore store = new InMemoryBlobStore();

        @Override
        protected BlobStore store() {
            return store;
        }
    }

    @Nested
    class FileCacheFake extends FileCacheContract {
        private MutableClock clock;
        private InMemoryFileCache cache;

        @BeforeEach
        void emptyCache() {
            clock = new MutableClock(TestFiles.T0);
            cache = new InMemoryFileCache(clock, Duration.ofMinutes(1), invalidationWindow());
        }

        @Override
        protected FileCache cache() {
            return cache;
        }

        @Override
        protected Duration invalidationWindow() {
            return Duration.ofSeconds(10);
        }

        @Override
        protected Instant now() {
            return clock.instant();
        }

        @Override
        protected void letTimePass(Duration duration) {
            clock.advance(duration);
        }
    }
}
