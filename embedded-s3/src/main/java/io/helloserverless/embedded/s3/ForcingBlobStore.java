package io.helloserverless.embedded.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * s3proxy's filesystem store writes a blob to a temporary file and moves it into place without
 * forcing either to disk, so a PUT it acknowledged can be lost, or come back empty, after a crash
 * or a power cut. This store forces the blob, then each directory from the blob's up to the
 * bucket's (so its name, and a new {@code files/} folder, are on disk too), before the PUT is
 * answered; a PUT that cannot be forced fails. PUTs only: the service writes nothing else (a lost
 * delete leaves an orphan blob, which no metadata points at).
 */
final class ForcingBlobStore extends ForwardingBlobStore {

    private final Path root;

    ForcingBlobStore(BlobStore files, Path root) {
        super(files);
        this.root = root.toAbsolutePath();
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        PutObjectResponse response = super.putBlob(request, content);
        Path bucket = root.resolve(request.bucket());
        Path blob = bucket.resolve(request.key()).normalize();
        try {
            if (!request.key().endsWith("/")) {
                force(blob);
            }
            for (Path folder = blob.getParent(); folder != null && folder.startsWith(bucket); folder = folder.getParent()) {
                force(folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not force a blob to disk", e);
        }
        return response;
    }

    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (NoSuchFileException e) {
            // Deleted or replaced since it was written: whatever took its place is forced by its own PUT.
        }
    }
}
