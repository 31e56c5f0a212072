package io.helloserverless.adapters.s3;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.ETag;

final class BlobKeys {

    private BlobKeys() {
    }

    static BlobKey newKey() {
        return BlobKey.forRevision(ETag.next());
    }
}
