package io.helloserverless.archfixtures.violations.adapters.s3;

public record RawS3Blob(byte[] bytes) {
}
