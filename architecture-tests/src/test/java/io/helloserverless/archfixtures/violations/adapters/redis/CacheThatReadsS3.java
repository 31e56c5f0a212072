package io.helloserverless.archfixtures.violations.adapters.redis;

import io.helloserverless.archfixtures.violations.adapters.s3.RawS3Blob;

/** Deliberately bad: one adapter reaching into another. */
public class CacheThatReadsS3 {

    public RawS3Blob load() {
        return new RawS3Blob(new byte[0]);
    }
}
