package io.helloserverless.adapters.postgres;

import static io.helloserverless.core.testing.TestFiles.T0;
import static io.helloserverless.core.testing.TestFiles.file;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The prefix is a key range; these are the prefixes whose upper bound is not simply the next character. */
class PrefixListingIT {

    private static final String LAST = new String(Character.toChars(Character.MAX_CODE_POINT));

    static Stream<Named<TestDatabase>> servers() {
        return Stream.of(
                Named.of("PostgreSQL 10", TestDatabase.postgres10()),
                Named.of("current PostgreSQL", TestDatabase.current()));
    }

    @ParameterizedTest
    @MethodSource("servers")
    void listsNamesUnderAPrefixThatEndsBeforeTheSurrogateRange(TestDatabase database) {
        assertEquals(List.of("a\uD7FF", "a\uD7FFz"),
                listUnder(database, "a\uD7FF", List.of("a\uD7FE", "a\uD7FF", "a\uD7FFz", "a\uE000", "b")));
    }

    @ParameterizedTest
    @MethodSource("servers")
    void listsNamesUnderAPrefixThatEndsInTheLastCodePoint(TestDatabase database) {
        assertEquals(List.of("z" + LAST, "z" + LAST + LAST + "x"),
                listUnder(database, "z" + LAST, List.of("z", "z" + LAST, "z" + LAST + LAST + "x", "zz", "\u20AC")));
    }

    @ParameterizedTest
    @MethodSource("servers")
    void listsEveryNameUnderAPrefixOfOnlyTheLastCodePoint(TestDatabase database) {
        assertEquals(List.of(LAST, LAST + "a"),
                listUnder(database, LAST, List.of("a", "\uFFFD", LAST, LAST + "a")));
    }

    private static List<String> listUnder(TestDatabase database, String prefix, List<String> names) {
        database.emptyFilesTable();
        try (PostgresMetadataStore store = database.runtimeStore()) {
            names.forEach(name -> store.insert(file(name, T0)));
            return store.listLive(prefix, Optional.empty(), 100, T0).stream()
                    .map(FileMetadata::name)
                    .map(FileName::value)
                    .toList();
        } finally {
            database.emptyFilesTable();
        }
    }
}
