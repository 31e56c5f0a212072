package io.helloserverless.core.testing;

import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.domain.TextContent;
import java.time.Duration;
import java.time.Instant;

/** Test data: files and contents, with defaults a test overrides only where it matters. */
public final class TestFiles {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public static final Duration RETENTION = Duration.ofDays(30);

    private TestFiles() {
    }

    public static TextContent text(String text) {
        return TextContent.ofUtf8(text, ContentPolicy.defaults());
    }

    public static FileName name(String name) {
        return FileName.of(name);
    }

    /** A first revision of {@code name} written at {@code at}. */
    public static FileMetadata file(String name, String text, Instant at) {
        return FileMetadata.firstRevision(name(name), text(text), at, RETENTION);
    }

    public static FileMetadata file(String name, Instant at) {
        return file(name, "content of " + name, at);
    }
}
