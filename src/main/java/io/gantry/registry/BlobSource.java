package io.gantry.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The content of a blob to push; it can be read more than once (a failed upload starts over). */
public interface BlobSource {

    /** The number of bytes {@link #open()} yields. */
    long size();

    /** A fresh stream over the whole content. */
    InputStream open() throws IOException;

    /** A blob held in memory (configs, small layers). */
    static BlobSource of(byte[] content) {
        byte[] copy = content.clone();
        return new BlobSource() {
            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(copy);
            }
        };
    }

    /** A blob in a file. */
    static BlobSource of(Path file) throws IOException {
        long size = Files.size(file);
        return new BlobSource() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }
}
