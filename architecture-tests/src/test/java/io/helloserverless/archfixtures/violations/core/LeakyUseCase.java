package io.helloserverless.archfixtures.violations.core;

import io.helloserverless.archfixtures.violations.adapters.s3.RawS3Blob;
import org.junit.jupiter.api.Tag;

/** Deliberately bad: a core class that knows an adapter and carries a framework annotation. */
@Tag("framework-annotation-in-core")
public class LeakyUseCase {

    public int sizeOf(RawS3Blob blob) {
        return blob.bytes().length;
    }
}
