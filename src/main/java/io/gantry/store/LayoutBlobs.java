package io.gantry.store;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.IoProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * The layout's {@code blobs/<alg>/<hex>} (go-containerregistry's {@code layout} blob functions):
 * content appears there only complete, verified and fsynced, by an atomic rename. Writers hold the
 * store shared, so garbage collection never removes a blob being written or just found.
 */
final class LayoutBlobs {

    static final long MAX_JSON_BLOB = 16L * 1024 * 1024;

    private final LayoutPaths paths;
    private final StoreLocks locks;
    private final WorkFiles work;
    /** Manifests and configs read so far: a test checks that finding one image reads only its own. */
    private final LongAdder smallReads = new LongAdder();

    LayoutBlobs(LayoutPaths paths, StoreLocks locks, WorkFiles work) {
        this.paths = paths;
        this.locks = locks;
        this.work = work;
    }

    boolean has(Digest digest) {
        return Files.isRegularFile(paths.blob(digest));
    }

    boolean has(Descriptor descriptor) {
        try {
            return Files.size(paths.blob(descriptor.digest())) == descriptor.size();
        } catch (IOException e) {
            return false;
        }
    }

    long size(Digest digest) {
        try {
            return Files.size(paths.blob(digest));
        } catch (IOException e) {
            throw missing("size of blob " + digest, digest);
        }
    }

    InputStream open(Digest digest) {
        try {
            return Files.newInputStream(paths.blob(digest));
        } catch (NoSuchFileException e) {
            throw missing("read blob " + digest, digest);
        } catch (IOException e) {
            throw IoProblem.storage("read blob " + digest, e);
        }
    }

    long smallReads() {
        return smallReads.sum();
    }

    /** A small blob (at most 16 MiB), its size and digest checked, so a corrupt file is reported, never parsed. */
    byte[] readSmall(Descriptor descriptor) {
        smallReads.increment();
        String op = "read " + descriptor.mediaType() + " " + descriptor.digest();
        Path file = paths.blob(descriptor.digest());
        try {
            long size = Files.size(file);
            if (size > MAX_JSON_BLOB) {
                throw new GantryException(ErrorKind.BAD_CONTENT, op, "too large for a manifest or config (" + size + " bytes)");
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length != descriptor.size()) {
                throw damaged(op, "blob " + descriptor.digest() + " has " + bytes.length + " bytes, its reference says "
                        + descriptor.size());
            }
            if (!digestOf(descriptor.digest().algorithm(), bytes).equals(descriptor.digest())) {
                throw damaged(op, "blob " + descriptor.digest() + " is corrupt: its content does not match its digest");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw missing(op, descriptor.digest());
        } catch (IOException e) {
            throw IoProblem.storage(op, e);
        }
    }

    /** Starts a resumable write of a blob whose digest and size are known; holds the store shared until closed. */
    BlobWrite begin(Digest digest, long size) {
        locks.requireWritable("store blob " + digest);
        StoreLocks.Held held = locks.shared("store blob " + digest);
        try {
            return BlobWrite.open(paths, digest, size, true, held);
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** Stores content whose digest is not known in advance; returns its descriptor. */
    Descriptor write(String mediaType, InputStream content) {
        String op = "store a " + mediaType + " blob";
        locks.requireWritable(op);
        try (StoreLocks.Held held = locks.shared(op)) {
            Path tmp = Files.createTempFile(work.session(), "blob-", ".tmp");
            try {
                MessageDigest sha = Digest.newSha256();
                long size = 0;
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    byte[] buffer = new byte[256 * 1024];
                    int n;
                    while ((n = content.read(buffer)) > 0) {
                        ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
                        while (bb.hasRemaining()) {
                            out.write(bb);
                        }
                        sha.update(buffer, 0, n);
                        size += n;
                    }
                    out.force(true);
                }
                Digest digest = new Digest("sha256", HexFormat.of().formatHex(sha.digest()));
                Path target = paths.blob(digest);
                Files.createDirectories(target.getParent());
                if (Files.exists(target) && Files.size(target) == size) {
                    Files.delete(tmp);
                } else {
                    FileOps.moveAtomically(tmp, target);
                }
                return Descriptor.of(mediaType, digest, size);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw FileOps.writeFailure(op, paths.blobs(), e);
        }
    }

    /** Stores content that must match {@code expected}; nothing visible unless size and digest match. */
    void write(Descriptor expected, InputStream content) {
        if (has(expected)) {
            return;
        }
        try (BlobWrite write = begin(expected.digest(), expected.size())) {
            boolean committed = false;
            try {
                write.restart();
                write.copyFrom(content);
                write.commit();
                committed = true;
            } catch (IOException e) {
                throw new GantryException(ErrorKind.STORAGE, "store blob " + expected.digest(),
                        "cannot read the content: " + e.getMessage(), e);
            } finally {
                if (!committed) {
                    write.discard(); // a stream cannot be resumed: keep no half-stored blob
                }
            }
        }
    }

    /** Removes a blob (garbage collection, with the store held exclusively). */
    void remove(Digest digest) throws IOException {
        Files.deleteIfExists(paths.blob(digest));
    }

    /** Makes removals durable. */
    void syncRemovals() {
        FileOps.syncDirectory(paths.blobs().resolve("sha256"));
    }

    @FunctionalInterface
    interface BlobVisitor {
        void visit(Digest digest, Path file);
    }

    /** Every stored blob, in directory order. */
    void forEach(BlobVisitor visitor) {
        try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(paths.blobs())) {
            for (Path algorithm : algorithms) {
                if (!Files.isDirectory(algorithm)) {
                    continue;
                }
                try (DirectoryStream<Path> blobs = Files.newDirectoryStream(algorithm)) {
                    for (Path file : blobs) {
                        String text = algorithm.getFileName() + ":" + file.getFileName();
                        if (Files.isRegularFile(file) && Digest.isDigest(text)) {
                            visitor.visit(Digest.of(text), file);
                        }
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // no blobs yet
        } catch (IOException e) {
            throw IoProblem.storage("list blobs in " + paths.root(), e);
        }
    }

    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    static Digest digestOf(Path file, String algorithm) throws IOException {
        MessageDigest md = hash(algorithm);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            while (channel.read(buffer) > 0) {
                buffer.flip();
                md.update(buffer);
                buffer.clear();
            }
        }
        return new Digest(algorithm, HexFormat.of().formatHex(md.digest()));
    }

    private static Digest digestOf(String algorithm, byte[] bytes) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash(algorithm).digest(bytes)));
    }

    private static MessageDigest hash(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT).replace("SHA", "SHA-"));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static GantryException missing(String op, Digest digest) {
        return new GantryException(ErrorKind.NOT_FOUND, op, "blob " + digest + " is not in the store", "BLOB_UNKNOWN", 0,
                "gantry verify lists damaged images; pull them again.", null);
    }

    static GantryException damaged(String op, String why) {
        return new GantryException(ErrorKind.STORAGE, op, why, "LAYOUT_DAMAGED", 0,
                "gantry verify lists what is damaged; pull the image again.", null);
    }
}
