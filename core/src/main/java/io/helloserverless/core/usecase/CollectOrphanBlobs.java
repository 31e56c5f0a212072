package io.helloserverless.core.usecase;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.ETag;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.BlobStore.StoredBlob;
import io.helloserverless.core.port.MetadataStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Removes orphan blobs: blobs that no stored file points at (live or expired) and that were
 * stored more than {@code grace} ago. A write stores its blob before it commits, and the writer
 * leaves the blob in place whenever its commit may still land ({@link RevisionWriter}); blobs of
 * replaced or deleted revisions stay when their removal failed. This finds both.
 *
 * <p>Safe only with a grace longer than any write can be in flight: from the blob's store to
 * the last instant a commit pointing at it may land (the writer's timeout plus the server's
 * statement timeout). A blob older than that is either referenced by a committed row, which the
 * check (run after the blob's age was taken) sees, or will never be. See
 * docs/adr/0012-orphan-collection.md.
 *
 * <p>Pages of 1,000 blobs: each page one listing and one reference check. A bounded
 * run ({@link #run(int)}) starts at a random key and wraps around, so that successive runs over a
 * store too large for one run cover all of it.
 */
public final class CollectOrphanBlobs {

    /** Longer than any write in flight by two orders of magnitude (function timeouts are under 30 s). */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);
    static final int PAGE_SIZE = MetadataStore.MAX_BLOB_KEYS_PER_CHECK;

    private static final System.Logger LOG = System.getLogger(CollectOrphanBlobs.class.getName());

    /**
     * What a run did: {@code examined} blobs listed, {@code removed} orphans removed,
     * {@code failed} orphans whose removal failed (the next run tries again), and whether the run
     * went through every blob ({@code complete}) or stopped at its page limit.
     */
    public record Result(int examined, int removed, int failed, boolean complete) {
    }

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final Clock clock;
    private final Duration grace;
    private final int pageSize;

    public CollectOrphanBlobs(MetadataStore metadata, BlobStore blobs, Clock clock, Duration grace) {
        this(metadata, blobs, clock, grace, PAGE_SIZE);
    }

    CollectOrphanBlobs(MetadataStore metadata, BlobStore blobs, Clock clock, Duration grace, int pageSize) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("the grace period must be positive");
        }
        if (pageSize < 1 || pageSize > PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be between 1 and " + PAGE_SIZE);
        }
        this.grace = grace;
        this.pageSize = pageSize;
    }

    /** Goes through every blob. */
    public Result run() {
        return walk(Optional.empty(), Integer.MAX_VALUE);
    }

    /** Goes through at most {@code maxPages} pages, from a random key on and around. */
    public Result run(int maxPages) {
        if (maxPages < 1) {
            throw new IllegalArgumentException("maxPages must be positive");
        }
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return walk(Optional.of(BlobKey.forRevision(new ETag(HexFormat.of().formatHex(random)))), maxPages);
    }

    /** From {@code start} to the last key, then from the first key up to {@code start}. */
    private Result walk(Optional<BlobKey> start, int maxPages) {
        Instant storedBefore = clock.instant().minus(grace);
        Tally tally = new Tally();
        Optional<BlobKey> after = start;
        boolean wrapped = start.isEmpty();
        for (int page = 0; page < maxPages; page++) {
            List<StoredBlob> listed = blobs.list(after, pageSize);
            List<StoredBlob> inRange = !wrapped ? listed : listed.stream()
                    .filter(blob -> start.isEmpty() || blob.key().value().compareTo(start.get().value()) <= 0)
                    .toList();
            collect(inRange, storedBefore, tally);
            boolean endOfListing = listed.size() < pageSize;
            if (wrapped && (endOfListing || inRange.size() < listed.size())) {
                return tally.result(true);
            }
            if (endOfListing) {
                wrapped = true;
                after = Optional.empty();
            } else {
                after = Optional.of(listed.getLast().key());
            }
        }
        return tally.result(false);
    }

    private void collect(List<StoredBlob> page, Instant storedBefore, Tally tally) {
        tally.examined += page.size();
        List<BlobKey> old = page.stream()
                .filter(blob -> blob.storedAt().isBefore(storedBefore))
                .map(StoredBlob::key)
                .toList();
        if (old.isEmpty()) {
            return;
        }
        Set<BlobKey> referenced = metadata.referencedBlobs(old);
        for (BlobKey key : old) {
            if (referenced.contains(key)) {
                continue;
            }
            try {
                blobs.delete(key);
                tally.removed++;
            } catch (RuntimeException e) {
                tally.failed++;
                LOG.log(Level.WARNING, "could not remove orphan blob {0}; the next run will: {1}", key, e.toString());
            }
        }
    }

    private static final class Tally {
        int examined;
        int removed;
        int failed;

        Result result(boolean complete) {
            return new Result(examined, removed, failed, complete);
        }
    }
}
