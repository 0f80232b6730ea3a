package io.gantry.service.analysis;

import io.gantry.core.IoProblem;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.ZipException;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Reads one layer archive (gzip, zstd or plain tar, recognized by its magic bytes) as a stream and
 * lists its entries: headers only (see {@link TarHeaderReader}), file contents are decompressed and
 * skipped, never kept, never written anywhere. Bounded by {@link ScanLimits}.
 *
 * <p>Never throws for bad content: a corrupt, truncated, oversized or unreadable layer gives a
 * {@link LayerScan} with a {@link ScanFailure} and the entries read so far. Thread-safe (stateless).
 */
public final class LayerScanner {

    private static final int BUFFER = 64 * 1024;
    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE_MARKER = ".wh..wh..opq";
    private static final String AUFS_META_PREFIX = ".wh..wh.";

    private final ScanLimits limits;

    public LayerScanner(ScanLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public LayerScanner() {
        this(ScanLimits.DEFAULT);
    }

    public ScanLimits limits() {
        return limits;
    }

    /** Reads {@code blob} to its end (or to the first problem). Does not close it. */
    public LayerScan scan(InputStream blob) {
        return scan(blob, entry -> { });
    }

    /**
     * As {@link #scan(InputStream)}, handing each entry of the result to {@code listener} as it is
     * read, on this thread (see {@link StreamedReplay}). The listener must not throw.
     */
    public LayerScan scan(InputStream blob, Consumer<LayerEntry> listener) {
        SourceInputStream source = new SourceInputStream(blob);
        BufferedInputStream buffered = new BufferedInputStream(source, BUFFER);
        List<LayerEntry> entries = new ArrayList<>();
        Compression compression = Compression.NONE;
        LimitedInputStream tarBytes = null;
        ReadAhead decompressing = null;
        Optional<ScanFailure> failure = Optional.empty();
        try {
            compression = sniff(buffered);
            InputStream tar = buffered;
            if (compression != Compression.NONE) {
                // inflating on a second thread while this one parses, as gzip -dc | tar -t do on two cores
                decompressing = new ReadAhead(decompressor(compression, buffered), "gantry-layer-decompress");
                tar = decompressing;
            }
            tarBytes = new LimitedInputStream(tar, limits.maxUncompressedBytes());
            readEntries(new TarHeaderReader(tarBytes, limits.maxHeaderBytes()), tarBytes, entries, listener);
            tarBytes.drain();
        } catch (Stop stop) {
            failure = Optional.of(stop.failure);
        } catch (UnsupportedOperationException e) {
            failure = Optional.of(new ScanFailure(ScanFailure.Problem.UNSUPPORTED_FORMAT,
                    "unsupported layer format: " + e.getMessage()));
        } catch (IOException | RuntimeException e) {
            failure = Optional.of(classify(e, entries, tarBytes != null && tarBytes.reachedEnd()));
        } finally {
            if (decompressing != null) {
                decompressing.close();
            }
        }
        long uncompressed = tarBytes == null ? 0 : tarBytes.count();
        return new LayerScan(entries, compression, source.count(), uncompressed, failure);
    }

    private static Compression sniff(BufferedInputStream in) throws IOException {
        byte[] head = new byte[6];
        in.mark(head.length);
        int n = 0;
        while (n < head.length) {
            int r = in.read(head, n, head.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        in.reset();
        return Compression.detect(head, n);
    }

    private static InputStream decompressor(Compression compression, InputStream in) throws IOException {
        return switch (compression) {
            case NONE -> in;
            // Concatenated gzip members are one stream, as Go's gzip reader (and so Docker) reads them.
            case GZIP -> GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
            // zstd-jni's decoder caps the window at 128 MiB by default, bounding its memory.
            case ZSTD -> new ZstdCompressorInputStream(in);
        };
    }

    private void readEntries(TarHeaderReader tar, LimitedInputStream tarBytes, List<LayerEntry> entries,
                             Consumer<LayerEntry> listener) throws IOException {
        TarHeader header;
        while ((header = tar.next()) != null) {
            if (Thread.currentThread().isInterrupted()) {
                throw new Stop(new ScanFailure(ScanFailure.Problem.CANCELLED, "cancelled"));
            }
            if (entries.size() >= limits.maxEntries()) {
                throw new Stop(new ScanFailure(ScanFailure.Problem.TOO_MANY_ENTRIES,
                        "more than " + limits.maxEntries() + " entries"));
            }
            LayerEntry parsed = toEntry(header, tarBytes.remaining());
            if (parsed == null) {
                continue;
            }
            entries.add(parsed);
            if (parsed.flags().contains(EntryFlag.ABSURD_SIZE)) {
                throw new Stop(new ScanFailure(ScanFailure.Problem.LIMIT_EXCEEDED, "entry '" + parsed.rawName()
                        + "' declares " + parsed.size() + " bytes, more than the " + tarBytes.remaining()
                        + " bytes left under the limit of " + limits.maxUncompressedBytes()
                        + " bytes per layer; it may be a compression bomb or a corrupt header"));
            }
            listener.accept(parsed);
            // The entry's data is skipped by the reader when it moves to the next header.
        }
    }

    /** The longest entry name analysed (Linux's PATH_MAX). */
    public static final int MAX_PATH_LENGTH = 4096;
    /** The deepest entry name analysed, in path components. */
    public static final int MAX_PATH_DEPTH = 1024;

    private static int depth(String name) {
        int slashes = 0;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '/') {
                slashes++;
            }
        }
        return slashes + 1;
    }

    /** Translates a tar header; {@code null} for entries that carry no filesystem meaning. */
    private static LayerEntry toEntry(TarHeader header, long remainingBytes) {
        String rawName = header.name();
        if (rawName.length() > MAX_PATH_LENGTH || depth(rawName) > MAX_PATH_DEPTH) {
            // A 324-byte layer naming one 60,000-level path once took gigabytes to place in the
            // tree: such an entry is shown (shortened) and flagged, never placed.
            String shown = rawName.substring(0, Math.min(rawName.length(), 200)) + "…";
            return new LayerEntry(shown, shown, typeOf(header.type()), 0, header.mode() & 07777, header.uid(),
                    header.gid(), "", EnumSet.of(EntryFlag.PATH_TOO_LONG));
        }
        PathNames.Clean clean = PathNames.clean(rawName);
        if (clean.path().isEmpty() && !clean.escapes()) {
            return null; // the root directory itself ("./")
        }
        // the flags made only for an entry that has one (most have none)
        Set<EntryFlag> flags = Set.of();
        if (clean.absolute()) {
            flags = flag(flags, EntryFlag.ABSOLUTE_PATH);
        }
        if (clean.escapes()) {
            flags = flag(flags, EntryFlag.ESCAPES_ROOT);
        } else if (clean.traversal()) {
            flags = flag(flags, EntryFlag.PARENT_TRAVERSAL);
        }
        String path = clean.escapes() ? rawName : clean.path();
        String name = PathNames.base(clean.path());
        EntryType type = typeOf(header.type());
        if (!clean.escapes() && name.startsWith(WHITEOUT_PREFIX) && type != EntryType.DIRECTORY) {
            String dir = PathNames.parent(clean.path());
            if (name.equals(OPAQUE_MARKER)) {
                type = EntryType.OPAQUE_WHITEOUT;
                path = dir;
            } else if (name.startsWith(AUFS_META_PREFIX)) {
                return null; // aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs): moby ignores it too
            } else {
                type = EntryType.WHITEOUT;
                path = PathNames.join(dir, name.substring(WHITEOUT_PREFIX.length()));
            }
        }
        String linkTarget = "";
        if (type == EntryType.SYMLINK || type == EntryType.HARDLINK) {
            linkTarget = header.linkName();
            PathNames.Clean target = type == EntryType.SYMLINK
                    ? PathNames.resolve(PathNames.parent(clean.path()), linkTarget)
                    : PathNames.clean(linkTarget);
            if (target.escapes()) {
                flags = flag(flags, EntryFlag.LINK_ESCAPES);
            }
        }
        if (type == EntryType.CHAR_DEVICE || type == EntryType.BLOCK_DEVICE) {
            flags = flag(flags, EntryFlag.DEVICE);
        }
        int mode = header.mode() & 07777;
        if (type == EntryType.FILE && (mode & 06000) != 0) {
            flags = flag(flags, EntryFlag.SETUID);
        }
        long size = type == EntryType.FILE ? header.size() : 0;
        if (header.size() > remainingBytes) {
            flags = flag(flags, EntryFlag.ABSURD_SIZE);
            size = header.size();
        }
        return new LayerEntry(path, rawName, type, size, mode, header.uid(), header.gid(), linkTarget, flags);
    }

    /** {@code flags} and {@code flag}, as a mutable set (the empty one is immutable). */
    private static Set<EntryFlag> flag(Set<EntryFlag> flags, EntryFlag flag) {
        Set<EntryFlag> all = flags.isEmpty() ? EnumSet.noneOf(EntryFlag.class) : flags;
        all.add(flag);
        return all;
    }

    private static EntryType typeOf(char typeflag) {
        return switch (typeflag) {
            case '0', '\0', '7' -> EntryType.FILE;
            case '1' -> EntryType.HARDLINK;
            case '2' -> EntryType.SYMLINK;
            case '3' -> EntryType.CHAR_DEVICE;
            case '4' -> EntryType.BLOCK_DEVICE;
            case '5' -> EntryType.DIRECTORY;
            case '6' -> EntryType.FIFO;
            default -> EntryType.OTHER;
        };
    }

    /** Maps what went wrong to a problem by exception type and stream state, never by message text. */
    private ScanFailure classify(Exception e, List<LayerEntry> entries, boolean dataEnded) {
        String where = entries.isEmpty() ? "at the start of the layer"
                : "after entry '" + entries.get(entries.size() - 1).rawName() + "'";
        if (e instanceof LimitedInputStream.LimitExceeded) {
            return new ScanFailure(ScanFailure.Problem.LIMIT_EXCEEDED, "layer expands to more than "
                    + limits.maxUncompressedBytes() + " bytes (limit per layer), stopped " + where
                    + "; it may be a compression bomb");
        }
        if (e instanceof TarHeaderReader.HeaderTooLarge) {
            return new ScanFailure(ScanFailure.Problem.TOO_MANY_ENTRIES, e.getMessage() + " " + where);
        }
        if (e instanceof SourceInputStream.SourceFailure) {
            return new ScanFailure(ScanFailure.Problem.READ_FAILED, "reading the layer failed " + where + ": "
                    + e.getMessage());
        }
        if (e instanceof InterruptedIOException || Thread.currentThread().isInterrupted()) {
            return new ScanFailure(ScanFailure.Problem.CANCELLED, "cancelled " + where);
        }
        if (e instanceof EOFException || (e instanceof IOException && dataEnded)) {
            return new ScanFailure(ScanFailure.Problem.TRUNCATED, "the layer data ends early " + where
                    + " (truncated blob?)");
        }
        if (e instanceof ZipException) {
            return new ScanFailure(ScanFailure.Problem.CORRUPT, "corrupt gzip data " + where + ": " + e.getMessage());
        }
        if (e instanceof TarHeaderReader.CorruptTar) {
            return new ScanFailure(ScanFailure.Problem.CORRUPT, "corrupt tar data " + where + ": " + e.getMessage());
        }
        String detail = e instanceof IOException io ? IoProblem.describe(io)
                : e.getMessage() == null ? "it failed unexpectedly" : e.getMessage();
        return new ScanFailure(ScanFailure.Problem.CORRUPT, "unreadable layer " + where + ": " + detail);
    }

    /** Internal control flow: stop scanning with a prepared failure. */
    private static final class Stop extends IOException {
        final transient ScanFailure failure;

        Stop(ScanFailure failure) {
            super(failure.message());
            this.failure = failure;
        }
    }
}
