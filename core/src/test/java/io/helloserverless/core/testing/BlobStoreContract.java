package io.helloserverless.core.testing;

import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.BlobStore;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** What every {@link BlobStore} must do; the fake and the S3 adapter both run it. */
public abstract class BlobStoreContract {

    protected abstract BlobStore store();

    protected static BlobKey newKey() {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return BlobKey.forRevision(HexFormat.of().formatHex(random));
    }

    @Test
    void readsBackExactlyWhatItStored() {
        BlobKey key = newKey();
        TextContent content = text("line one\nzweite Zeile — ✓ 😀\n");

        store().put(key, content);

        assertEquals(Optional.of(content), store().get(key));
    }

    @Test
    void storesAnEmptyFile() {
        BlobKey key = newKey();

        store().put(key, text(""));

        assertEquals(0, store().get(key).orElseThrow().size());
    }

    @Test
    void storesAFileOfTheDefaultMaximumSize() {
        BlobKey key = newKey();
        byte[] bytes = new byte[ContentPolicy.DEFAULT_MAX_BYTES];
        Arrays.fill(bytes, (byte) 'x');
        TextContent content = TextContent.of(bytes, ContentPolicy.defaults());

        store().put(key, content);

        assertArrayEquals(bytes, store().get(key).orElseThrow().toByteArray());
    }

    @Test
    void findsNothingUnderAKeyNeverWritten() {
        assertEquals(Optional.empty(), store().get(newKey()));
    }

    @Test
    void deletesABlob() {
        BlobKey key = newKey();
        store().put(key, text("short-lived"));

        store().delete(key);

        assertTrue(store().get(key).isEmpty());
    }

    @Test
    void treatsDeletingAMissingBlobAsDone() {
        BlobKey key = newKey();

        store().delete(key);

        assertTrue(store().get(key).isEmpty());
    }
}
