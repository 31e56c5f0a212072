package io.helloserverless.core.usecase;

import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.Cursor;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.ListQuery;
import io.helloserverless.core.domain.Page;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListFilesTest {

    private final FileServiceFixture service = new FileServiceFixture();

    @Test
    void walksEveryFileOnceAcrossPages() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            names.add("file-%02d".formatted(i));
        }
        names.forEach(n -> service.create.create(name(n), text(n)));

        List<String> seen = new ArrayList<>();
        Optional<Cursor> cursor = Optional.empty();
        int pages = 0;
        do {
            Page page = service.list.list(new ListQuery("", 10, cursor));
            page.items().forEach(f -> seen.add(f.name().value()));
            cursor = page.next();
            pages++;
        } while (cursor.isPresent());

        assertEquals(names, seen);
        assertEquals(3, pages);
    }

    @Test
    void endsWithoutACursorWhenThePageIsExactlyFull() {
        for (String n : List.of("a", "b")) {
            service.create.create(name(n), text(n));
        }

        Page page = service.list.list(ListQuery.firstPage("", 2));

        assertEquals(2, page.items().size());
        assertEquals(Optional.empty(), page.next());
    }

    @Test
    void listsOnlyTheNamesWithThePrefix() {
        for (String n : List.of("logs-1", "logs-2", "notes")) {
            service.create.create(name(n), text(n));
        }

        List<String> listed = service.list.list(ListQuery.firstPage("logs-", 100)).items().stream()
                .map(FileMetadata::name).map(Object::toString).toList();

        assertEquals(List.of("logs-1", "logs-2"), listed);
    }

    @Test
    void leavesExpiredFilesOut() {
        service.create.create(name("old"), text("x"));
        service.clock.advance(Duration.ofDays(29));
        service.create.create(name("new"), text("x"));
        service.clock.advance(Duration.ofDays(1));

        Page page = service.list.list(ListQuery.firstPage("", 100));

        assertEquals(List.of(name("new")), page.items().stream().map(FileMetadata::name).toList());
        assertTrue(page.next().isEmpty());
    }
}
