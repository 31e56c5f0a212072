package io.helloserverless.core.testing;

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

/** The metadata store in memory, with switches to make it fail the way a database can. */
public final class InMemoryMetadataStore implements MetadataStore {

    /** How the next writes fail: before the commit, or after it (the answer lost on its way). */
    public enum Fault { NONE, BEFORE_COMMIT, AFTER_COMMIT, ALWAYS }

    private final TreeMap<FileName, FileMetadata> files = new TreeMap<>(FileName.UTF8_ORDER);
    private volatile Fault fault = Fault.NONE;

    public void failWrites(Fault fault) {
        this.fault = fault;
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
            return true;
        });
    }

    @Override
    public synchronized boolean delete(FileMetadata current) {
        return write(() -> sameRevision(files.get(current.name()), current) && files.remove(current.name()) != null);
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
        expired.forEach(f -> files.remove(f.name()));
        return expired;
    }

    private boolean write(java.util.function.BooleanSupplier change) {
        switch (fault) {
            case BEFORE_COMMIT, ALWAYS -> throw failure();
            case AFTER_COMMIT -> {
                change.getAsBoolean();
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
