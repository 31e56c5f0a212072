package io.helloserverless.core.usecase;

import io.helloserverless.core.domain.Cursor;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.ListQuery;
import io.helloserverless.core.domain.Page;
import io.helloserverless.core.port.MetadataStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Lists live files by name, a page at a time (keyset pagination: every page costs the same). */
public final class ListFiles {

    private final MetadataStore metadata;
    private final Clock clock;

    public ListFiles(MetadataStore metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    public Page list(ListQuery query) {
        // One row more than the page tells whether another page follows.
        List<FileMetadata> rows = metadata.listLive(
                query.prefix(), query.after().map(Cursor::lastName), query.limit() + 1, clock.instant());
        if (rows.size() <= query.limit()) {
            return new Page(rows, Optional.empty());
        }
        List<FileMetadata> items = rows.subList(0, query.limit());
        return new Page(items, Optional.of(new Cursor(items.getLast().name())));
    }
}
