package com.example.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.adapters.postgres.PostgresCredentials;
import io.helloserverless.adapters.postgres.PostgresCredentials.Credentials;
import io.helloserverless.adapters.postgres.PostgresSettings;
import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.ETagMatch;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.domain.InvalidInputException;
import io.helloserverless.core.domain.ListQuery;
import io.helloserverless.core.domain.Page;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.usecase.CollectOrphanBlobs;
import io.helloserverless.core.usecase.CreateFile;
import io.helloserverless.core.usecase.DeleteFile;
import io.helloserverless.core.usecase.ReadFile;
import io.helloserverless.core.usecase.UpdateFile;
import io.helloserverless.embedded.s3.EmbeddedS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole cycle an embedding service runs, with each of the three cache choices, against the
 * machine's PostgreSQL (PGHOST, PGPORT, PGUSER: a superuser, as the DBA who creates the database),
 * Redis (REDIS_HOST, REDIS_PORT) and an S3-compatible server in the JVM.
 */
class EmbeddedServiceIT {

    private static final String DATABASE = "example_files";
    private static final String OWNER = "example_owner";
    private static final String APP = "example_app";
    private static PostgresSettings database;
    private static EmbeddedS3 s3;

    @BeforeAll
    static void createDatabaseAndBucket() throws Exception {
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));
        String admin = System.getenv().getOrDefault("PGUSER", "postgres");
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", admin,
                System.getenv().getOrDefault("PGPASSWORD", ""));
             Statement sql = connection.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + DATABASE);
            sql.execute("DROP ROLE IF EXISTS " + APP);
            sql.execute("DROP ROLE IF EXISTS " + OWNER);
            sql.execute("CREATE ROLE " + OWNER + " LOGIN CREATEROLE PASSWORD 'owner-secret'");
            sql.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
        }
        database = PostgresSettings.of(host, port, DATABASE);
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + DATABASE, admin,
                System.getenv().getOrDefault("PGPASSWORD", ""));
             Statement sql = connection.createStatement()) {
            sql.execute("ALTER SCHEMA public OWNER TO " + OWNER);
        }
        FileService.migrate(database, PostgresCredentials.fixed(new Credentials(OWNER, "owner-secret")), APP, "app-secret");
        s3 = EmbeddedS3.start(Files.createTempDirectory("example-s3"), "files", "example-key", "example-secret");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    static Stream<String> caches() {
        return Stream.of("none", "in-process", "in-process + Redis");
    }

    private static FileCache cache(String choice) {
        return switch (choice) {
            case "none" -> FileService.noCache();
            case "in-process" -> FileService.inProcessCache();
            default -> FileService.sharedCache(System.getenv().getOrDefault("REDIS_HOST", "127.0.0.1"),
                    Integer.parseInt(System.getenv().getOrDefault("REDIS_PORT", "6379")));
        };
    }

    @ParameterizedTest
    @MethodSource("caches")
    void runsTheWholeCycle(String choice) throws Exception {
        String folder = choice.replaceAll("\\W", "") + "-"; // names have no "/": a prefix keeps each run apart
        try (FileService files = new FileService(database, PostgresCredentials.fixed(new Credentials(APP, "app-secret")),
                FileService.s3CompatibleBucket("files", s3.endpoint(), "example-key", "example-secret"), cache(choice))) {
            ContentPolicy policy = ContentPolicy.defaults(); // at most 1 MiB of UTF-8 text without NUL

            // Create: a business refusal is a value, not an exception.
            FileName name = FileName.of(folder + "notes.txt");
            CreateFile.Result created = files.create.create(name, TextContent.ofUtf8("first draft", policy));
            FileMetadata v1 = assertInstanceOf(CreateFile.Result.Created.class, created).file();
            assertInstanceOf(CreateFile.Result.AlreadyExists.class, files.create.create(name, TextContent.ofUtf8("again", policy)));

            // Read, then read conditionally: the ETag the client holds is still current.
            ReadFile.Result read = files.read.read(name, ETagMatch.NONE, true);
            assertEquals("first draft", assertInstanceOf(ReadFile.Result.Found.class, read).content().orElseThrow().asString());
            assertInstanceOf(ReadFile.Result.NotModified.class, files.read.read(name, ETagMatch.of(v1.etag()), true));

            // List in pages of two, following the cursor.
            for (String other : List.of("a.txt", "b.txt", "c.txt")) {
                files.create.create(FileName.of(folder + other), TextContent.ofUtf8(other, policy));
            }
            List<String> names = new ArrayList<>();
            ListQuery query = ListQuery.firstPage(folder, 2);
            while (true) {
                Page page = files.list.list(query);
                page.items().forEach(file -> names.add(file.name().value()));
                if (page.next().isEmpty()) {
                    break;
                }
                query = new ListQuery(folder, 2, page.next());
            }
            assertEquals(List.of(folder + "a.txt", folder + "b.txt", folder + "c.txt", folder + "notes.txt"), names);

            // Update only the revision the client read; a stale ETag is refused.
            UpdateFile.Result updated = files.update.update(name, TextContent.ofUtf8("second draft", policy), Optional.of(ETagMatch.of(v1.etag())));
            FileMetadata v2 = assertInstanceOf(UpdateFile.Result.Updated.class, updated).file();
            assertInstanceOf(UpdateFile.Result.PreconditionFailed.class,
                    files.update.update(name, TextContent.ofUtf8("lost update", policy), Optional.of(ETagMatch.of(v1.etag()))));
            assertEquals("second draft", ((ReadFile.Result.Found) files.read.read(name, ETagMatch.NONE, true)).content().orElseThrow().asString());

            // Delete, with the current ETag.
            assertInstanceOf(DeleteFile.Result.Deleted.class, files.delete.delete(name, Optional.of(ETagMatch.of(v2.etag()))));
            assertInstanceOf(ReadFile.Result.NotFound.class, files.read.read(name, ETagMatch.NONE, true));

            // Bad input is an InvalidInputException naming the rule, before anything is stored.
            assertThrows(InvalidInputException.class, () -> FileName.of(".."));
            assertThrows(InvalidInputException.class, () -> TextContent.of(new byte[] {'a', 0, 'b'}, policy));

            // A dependency that fails is a DependencyFailureException naming it; nothing half-written is visible.
            s3.stop();
            try {
                DependencyFailureException down = assertThrows(DependencyFailureException.class,
                        () -> files.create.create(FileName.of(folder + "during-outage.txt"), TextContent.ofUtf8("x", policy)));
                assertEquals("blob store", down.dependency());
            } finally {
                s3.restart();
            }
            assertInstanceOf(ReadFile.Result.NotFound.class, files.read.read(FileName.of(folder + "during-outage.txt"), ETagMatch.NONE, true));

            // The periodic clean-up: no file has expired, and every blob is younger than the grace period.
            assertEquals(0, files.purge.purge(500, 100));
            CollectOrphanBlobs.Result cleaned = files.orphans.run();
            assertEquals(0, cleaned.removed());
            assertTrue(cleaned.complete() && cleaned.examined() >= 3, cleaned.toString());
            assertEquals("a.txt", ((ReadFile.Result.Found) files.read.read(FileName.of(folder + "a.txt"), ETagMatch.NONE, true))
                    .content().orElseThrow().asString());
        }
    }
}
