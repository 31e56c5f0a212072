package io.helloserverless.core.testing;

import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.ETag;
import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.BlobStore.StoredBlob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} must do; the fake and the S3 adapter both run it. The store need
 * not be empty at the start of a test: the listing tests look only at the keys they wrote.
 */
public abstract class BlobStoreContract {

    protected abstract BlobStore store();

    protected static BlobKey newKey() {
        return BlobKey.forRevision(ETag.next());
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

    @Test
    void listsEveryBlobOnceInKeyOrderPageByPageWithWhenItWasStored() {
        Instant before = Instant.now().minus(SECOND_ROUNDING);
        Set<BlobKey> written = new java.util.TreeSet<>(Comparator.comparing(BlobKey::value));
        for (int i = 0; i < 5; i++) {
            BlobKey key = newKey();
            store().put(key, text("blob " + i));
            written.add(key);
        }
        Instant after = Instant.now().plus(SECOND_ROUNDING);
        BlobKey removed = newKey();
        store().put(removed, text("removed"));
        store().delete(removed);

        List<StoredBlob> listed = new ArrayList<>();
        Optional<BlobKey> cursor = Optional.empty();
        List<StoredBlob> page;
        do {
            page = store().list(cursor, 2);
            assertTrue(page.size() <= 2, "a page holds at most the limit");
            listed.addAll(page);
            cursor = page.isEmpty() ? cursor : Optional.of(page.getLast().key());
        } while (page.size() == 2);

        List<String> keys = listed.stream().map(blob -> blob.key().value()).toList();
        assertEquals(keys.stream().sorted().distinct().toList(), keys, "ascending, each key once");
        List<StoredBlob> ours = listed.stream().filter(blob -> written.contains(blob.key())).toList();
        assertEquals(List.copyOf(written), ours.stream().map(StoredBlob::key).toList());
        ours.forEach(blob -> assertTrue(!blob.storedAt().isBefore(before) && !blob.storedAt().isAfter(after),
                blob + " stored between " + before + " and " + after));
        assertTrue(listed.stream().noneMatch(blob -> blob.key().equals(removed)), "a removed blob is not listed");
    }

    @Test
    void listsOnlyKeysAfterTheCursor() {
        List<BlobKey> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BlobKey key = newKey();
            store().put(key, text("x"));
            keys.add(key);
        }
        keys.sort(Comparator.comparing(BlobKey::value));

        List<StoredBlob> page = store().list(Optional.of(keys.get(0)), 1000);

        Set<BlobKey> listed = page.stream().map(StoredBlob::key).collect(Collectors.toSet());
        assertTrue(!listed.contains(keys.get(0)) && listed.contains(keys.get(1)) && listed.contains(keys.get(2)), page.toString());
        assertTrue(page.stream().allMatch(blob -> blob.key().value().compareTo(keys.get(0).value()) > 0));
    }

    /** S3 gives the instant a blob was stored to the second. */
    private static final Duration SECOND_ROUNDING = Duration.ofSeconds(1);
}
