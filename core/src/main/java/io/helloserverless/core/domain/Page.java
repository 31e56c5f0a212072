package io.helloserverless.core.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A page of a listing, and where the next one starts if there is one. */
public record Page(List<FileMetadata> items, Optional<Cursor> next) {

    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }
}
