package io.gantry.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Describes the content of one layer, entry by entry, and builds it into a deterministic
 * {@link Layer}: same calls, same bytes, same digests, on every run.
 *
 * <p>Entries are written in the order they are added, each preceded by any parent directory not
 * yet in this layer (mode 0755), as real layer tars are. Every entry gets the same modification
 * time and owner (root) unless {@link #owner} or {@link #modified} change them for the entries
 * that follow. The gzip stream has no file name and a zero timestamp in its header.
 *
 * <pre>{@code
 * images.image("app").layer(l -> l
 *     .file("etc/app.conf", "port=80\n")
 *     .executable("usr/bin/app", bytes)
 *     .symlink("usr/bin/app-latest", "app")
 *     .whiteout("etc/old.conf")        // deletes etc/old.conf of a lower layer
 *     .opaque("var/cache"));           // hides everything lower layers put in var/cache
 * }</pre>
 */
public final class LayerBuilder {

    private final List<LayerEntry> entries = new ArrayList<>();
    private final Set<String> directories = new HashSet<>();
    private Instant modified;
    private int uid;
    private int gid;

    LayerBuilder(Instant modified) {
        this.modified = modified;
    }

    /** A regular file with mode 0644 holding {@code content} in UTF-8. */
    public LayerBuilder file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    /** A regular file with mode 0644. */
    public LayerBuilder file(String path, byte[] content) {
        return file(path, content, 0644);
    }

    /** A regular file with the given permission bits, e.g. {@code 0600}. */
    public LayerBuilder file(String path, byte[] content, int mode) {
        return add(path, LayerEntry.Kind.FILE, content, "", mode);
    }

    /** A regular file with mode 0755. */
    public LayerBuilder executable(String path, byte[] content) {
        return file(path, content, 0755);
    }

    /** A regular file with the content of {@code hostFile}. */
    public LayerBuilder copy(Path hostFile, String path, int mode) {
        try {
            return file(path, Files.readAllBytes(hostFile), mode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + hostFile, e);
        }
    }

    /**
     * A file of {@code size} pseudo-random bytes from {@code seed}: the same seed gives the same
     * bytes everywhere, and random bytes do not compress, so the blob is as big as the file.
     */
    public LayerBuilder randomFile(String path, int size, long seed) {
        byte[] content = new byte[size];
        new SplittableRandom(seed).nextBytes(content);
        return file(path, content, 0644);
    }

    /** A directory with mode 0755. */
    public LayerBuilder dir(String path) {
        return dir(path, 0755);
    }

    /** A directory with the given permission bits. */
    public LayerBuilder dir(String path, int mode) {
        return add(path, LayerEntry.Kind.DIRECTORY, new byte[0], "", mode);
    }

    /** A symbolic link at {@code path} pointing to {@code target} (relative or absolute). */
    public LayerBuilder symlink(String path, String target) {
        return add(path, LayerEntry.Kind.SYMLINK, new byte[0], target, 0777);
    }

    /** A hard link at {@code path} to {@code target}, a path earlier in this layer. */
    public LayerBuilder hardlink(String path, String target) {
        return add(path, LayerEntry.Kind.HARDLINK, new byte[0], normalize(target), 0644);
    }

    /** Deletes {@code path} of a lower layer: writes the whiteout file {@code dir/.wh.name}. */
    public LayerBuilder whiteout(String path) {
        String normalized = normalize(path);
        int slash = normalized.lastIndexOf('/');
        String whiteout = normalized.substring(0, slash + 1) + LayerEntry.WHITEOUT_PREFIX
                + normalized.substring(slash + 1);
        return add(whiteout, LayerEntry.Kind.FILE, new byte[0], "", 0644);
    }

    /** Makes {@code dir} opaque: what lower layers put in it is hidden ({@code dir/.wh..wh..opq}). */
    public LayerBuilder opaque(String dir) {
        return add(normalize(dir) + "/" + LayerEntry.OPAQUE_MARKER, LayerEntry.Kind.FILE, new byte[0], "", 0644);
    }

    /** The owner of the entries added after this call. */
    public LayerBuilder owner(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
        return this;
    }

    /** The modification time of the entries added after this call (truncated to seconds). */
    public LayerBuilder modified(Instant time) {
        this.modified = time;
        return this;
    }

    private LayerBuilder add(String path, LayerEntry.Kind kind, byte[] content, String linkTarget, int mode) {
        String normalized = normalize(path);
        addParents(normalized);
        if (kind == LayerEntry.Kind.DIRECTORY) {
            if (!directories.add(normalized)) {
                return this;
            }
        }
        entries.add(new LayerEntry(normalized, kind, content, linkTarget, mode, uid, gid, modified));
        return this;
    }

    private void addParents(String path) {
        int slash = path.indexOf('/');
        while (slash > 0) {
            String parent = path.substring(0, slash);
            if (directories.add(parent)) {
                entries.add(new LayerEntry(parent, LayerEntry.Kind.DIRECTORY, new byte[0], "", 0755, uid, gid,
                        modified));
            }
            slash = path.indexOf('/', slash + 1);
        }
    }

    private static String normalize(String path) {
        String p = path;
        while (p.startsWith("/") || p.startsWith("./")) {
            p = p.startsWith("/") ? p.substring(1) : p.substring(2);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** Writes the tar and its gzip and computes their digests. */
    Layer build() {
        byte[] tar = tar(entries);
        return new Layer(entries, tar, gzip(tar));
    }

    static byte[] tar(List<LayerEntry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            out.setAddPaxHeadersForNonAsciiNames(true);
            for (LayerEntry entry : entries) {
                TarArchiveEntry header = header(entry);
                out.putArchiveEntry(header);
                if (entry.kind() == LayerEntry.Kind.FILE) {
                    out.write(entry.content());
                }
                out.closeArchiveEntry();
            }
            out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a layer tar in memory", e);
        }
        return bytes.toByteArray();
    }

    private static TarArchiveEntry header(LayerEntry entry) {
        TarArchiveEntry header = switch (entry.kind()) {
            case FILE -> new TarArchiveEntry(entry.path(), TarConstants.LF_NORMAL);
            case DIRECTORY -> new TarArchiveEntry(entry.path() + "/", TarConstants.LF_DIR);
            case SYMLINK -> new TarArchiveEntry(entry.path(), TarConstants.LF_SYMLINK);
            case HARDLINK -> new TarArchiveEntry(entry.path(), TarConstants.LF_LINK);
        };
        int typeBits = switch (entry.kind()) {
            case FILE, HARDLINK -> 0100000;
            case DIRECTORY -> 040000;
            case SYMLINK -> 0120000;
        };
        header.setMode(typeBits | entry.mode());
        if (entry.kind() == LayerEntry.Kind.SYMLINK || entry.kind() == LayerEntry.Kind.HARDLINK) {
            header.setLinkName(entry.linkTarget());
        }
        if (entry.kind() == LayerEntry.Kind.FILE) {
            header.setSize(entry.content().length);
        }
        header.setUserId(entry.uid());
        header.setGroupId(entry.gid());
        header.setUserName("");
        header.setGroupName("");
        header.setModTime(FileTime.from(entry.modified().getEpochSecond(), java.util.concurrent.TimeUnit.SECONDS));
        return header;
    }

    /** Gzip with a fixed header (no name, mtime 0), so the same tar always compresses to the same bytes. */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 2 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(bytes, 64 * 1024)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot gzip in memory", e);
        }
        return bytes.toByteArray();
    }
}
