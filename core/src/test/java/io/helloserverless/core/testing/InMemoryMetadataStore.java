package io.helloserverless.core.testing;

import io.helloserverless.core.domain.ChangeEvent;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.MetadataStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The metadata store in memory, with switches to make it fail the way a database can. Each
 * change records its event in {@link #outbox()} in the same step, as the database does in the
 * same transaction.
 */
public final class InMemoryMetadataStore implements MetadataStore {

    /**
     * How the next writes fail: before the commit, or after it (the answer lost on its way);
     * {@code REFUSED_AFTER_COMMIT} applies the write and answers false, as a statement run again
     * after the server ended the session does when its first run had committed;
     * {@code COMMIT_LATER} throws at once and applies the write only when
     * {@link #commitLateWrites()} is called, as a backend still running on a connection the
     * client gave up on does.
     */
    public enum Fault { NONE, BEFORE_COMMIT, AFTER_COMMIT, REFUSED_AFTER_COMMIT, COMMIT_LATER, ALWAYS }

    private final TreeMap<FileName, FileMetadata> files = new TreeMap<>(FileName.UTF8_ORDER);
    private final InMemoryChangeEventOutbox outbox = new InMemoryChangeEventOutbox();
    private volatile Fault fault = Fault.NONE;
    private final List<java.util.function.BooleanSupplier> lateWrites = new ArrayList<>();

    /** The change events this store recorded. */
    public InMemoryChangeEventOutbox outbox() {
        return outbox;
    }

    public void failWrites(Fault fault) {
        this.fault = fault;
    }

    /** Applies the writes held back by {@link Fault#COMMIT_LATER}. */
    public synchronized void commitLateWrites() {
        lateWrites.forEach(java.util.function.BooleanSupplier::getAsBoolean);
        lateWrites.clear();
    }

    /** Every stored row, expired or not, for assertions. */
    public synchronized Map<FileName, FileMetadata> rows() {
        return Map.copyOf(files);
    }

    @Override
    public synchronized Optional<FileMetadata> findLive(FileName name, Instant now) {
        if (fault == Fault.ALWAYS) {
            throw failure();
        }
        return Optional.ofNullable(files.get(name)).filter(f -> !f.isExpiredAt(now));
    }

    @Override
    public synchronized boolean insert(FileMetadata file) {
        return write(() -> {
            FileMetadata existing = files.get(file.name());
            if (existing != null && !existing.isExpiredAt(file.updatedAt())) {
                return false;
            }
            files.put(file.name(), file);
            outbox.record(ChangeEvent.Type.CREATED, file, file.updatedAt());
            return true;
        });
    }

    @Override
    public synchronized boolean replace(FileMetadata current, FileMetadata next) {
        return write(() -> {
            FileMetadata stored = files.get(current.name());
            if (!sameRevision(stored, current) || stored.isExpiredAt(next.updatedAt())) {
                return false;
            }
            files.put(current.name(), next);
            outbox.record(ChangeEvent.Type.UPDATED, next, next.updatedAt());
            return true;
        });
    }

    @Override
    public synchronized boolean delete(FileMetadata current) {
        return write(() -> {
            FileMetadata stored = files.get(current.name());
            if (!sameRevision(stored, current)) {
                return false;
            }
            files.remove(current.name());
            outbox.record(ChangeEvent.Type.DELETED, stored, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            return true;
        });
    }

    @Override
    public synchronized List<FileMetadata> listLive(String prefix, Optional<FileName> after, int limit, Instant now) {
        if (fault == Fault.ALWAYS) {
            throw failure();
        }
        var tail = after.isPresent() ? files.tailMap(after.get(), false) : files;
        List<FileMetadata> page = new ArrayList<>();
        for (FileMetadata file : tail.values()) {
            if (page.size() == limit) {
                break;
            }
            if (file.name().value().startsWith(prefix) && !file.isExpiredAt(now)) {
                page.add(file);
            }
        }
        return page;
    }

    @Override
    public synchronized List<FileMetadata> purgeExpired(Instant now, int maxFiles) {
        List<FileMetadata> expired = files.values().stream()
                .filter(f -> f.isExpiredAt(now))
                .limit(maxFiles)
                .toList();
        for (FileMetadata file : expired) {
            files.remove(file.name());
            outbox.record(ChangeEvent.Type.EXPIRED, file, file.expiresAt());
        }
        return expired;
    }

    @Override
    public synchronized java.util.Set<io.helloserverless.core.domain.BlobKey> referencedBlobs(
            java.util.Collection<io.helloserverless.core.domain.BlobKey> keys) {
        if (keys.size() > MAX_BLOB_KEYS_PER_CHECK) {
            throw new IllegalArgumentException("at most " + MAX_BLOB_KEYS_PER_CHECK + " keys");
        }
        if (fault == Fault.ALWAYS) {
            throw failure();
        }
        java.util.Set<io.helloserverless.core.domain.BlobKey> wanted = java.util.Set.copyOf(keys);
        return files.values().stream()
                .map(FileMetadata::blobKey)
                .filter(wanted::contains)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private boolean write(java.util.function.BooleanSupplier change) {
        switch (fault) {
            case BEFORE_COMMIT, ALWAYS -> throw failure();
            case AFTER_COMMIT -> {
                change.getAsBoolean();
                throw failure();
            }
            case REFUSED_AFTER_COMMIT -> {
                change.getAsBoolean();
                return false;
            }
            case COMMIT_LATER -> {
                lateWrites.add(change);
                throw failure();
            }
            case NONE -> {
                return change.getAsBoolean();
            }
        }
        throw new AssertionError(fault);
    }

    private static boolean sameRevision(FileMetadata stored, FileMetadata expected) {
        return stored != null && stored.version() == expected.version() && stored.etag().equals(expected.etag());
    }

    private static DependencyFailureException failure() {
        return new DependencyFailureException("database", "injected failure");
    }
}
