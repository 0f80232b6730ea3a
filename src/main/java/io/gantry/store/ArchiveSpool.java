package io.gantry.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Turns a gzipped archive into a plain tar that {@link ArchiveReader} can read at random, holding
 * only the entries a load can need: a gzip stream cannot be read at random, and spooling all of
 * it let a 4.2 MB archive write 4 GB (a huge, well-compressed entry nobody refers to).
 *
 * <p>A first pass over the stream reads the headers and keeps the small entries in memory (up to
 * {@link #KEEP_ENTRY} each, {@link #KEEP_TOTAL} in all); what is needed follows from them: the
 * top files ({@code manifest.json}, {@code index.json}, {@code oci-layout}, {@code repositories}),
 * the config and layers {@code manifest.json} names, and the blobs reachable from
 * {@code index.json} through indexes and manifests, each with the links that lead to it. A second
 * pass writes those entries, and only those, to the spool. A needed small entry that did not fit
 * in memory costs one more pass.
 *
 * <p>Failures reading the archive are {@code INVALID_INPUT}/{@code BAD_CONTENT}; failures writing
 * the spool are {@code STORAGE} (a full disk says so).
 */
final class ArchiveSpool {

    static final long KEEP_ENTRY = 4L * 1024 * 1024;
    static final long KEEP_TOTAL = 64L * 1024 * 1024;
    private static final long MAX_JSON = 16L * 1024 * 1024;
    private static final int MAX_ENTRIES = 1_000_000;
    private static final Set<String> TOP_FILES = Set.of("manifest.json", LayoutPaths.INDEX_FILE, LayoutPaths.LAYOUT_FILE,
            "repositories");

    private final Path archive;
    private final String op;
    private final Map<String, TarArchiveEntry> headers = new HashMap<>();
    private final Map<String, byte[]> kept = new HashMap<>();
    /** The position of each name's last entry: a later entry of the same name wins, as in {@link ArchiveReader}. */
    private final Map<String, Integer> last = new HashMap<>();

    private ArchiveSpool(Path archive, String op) {
        this.archive = archive;
        this.op = op;
    }

    /** Writes the entries of gzipped {@code archive} that a load can need to {@code spool}, a plain tar. */
    static void spool(Path archive, Path spool, String op) {
        ArchiveSpool s = new ArchiveSpool(archive, op);
        s.scan();
        Set<String> needed = s.needed();
        s.write(needed, spool);
    }

    private InputStream open() throws IOException {
        return new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16);
    }

    /** The first pass: every header, and the small entries' bytes. */
    private void scan() {
        long total = 0;
        int position = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(open())) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (headers.size() >= MAX_ENTRIES) {
                    throw new GantryException(ErrorKind.BAD_CONTENT, op, "the archive has more than " + MAX_ENTRIES + " entries");
                }
                String name = ArchiveReader.normalize(entry.getName());
                last.put(name, position++);
                headers.put(name, entry);
                if (entry.isFile() && entry.getSize() <= KEEP_ENTRY && total + entry.getSize() <= KEEP_TOTAL) {
                    kept.put(name, tar.readAllBytes());
                    total += entry.getSize();
                }
            }
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private GantryException unreadable(IOException e) {
        return new GantryException(ErrorKind.INVALID_INPUT, op, "cannot read the archive: " + e.getMessage(), e);
    }

    /** The entries a load can read, each link followed to what it names. */
    private Set<String> needed() {
        Set<String> needed = new LinkedHashSet<>();
        for (String top : TOP_FILES) {
            addWithLinks(top, needed);
        }
        JsonNode manifest = json("manifest.json");
        if (manifest != null) {
            for (JsonNode item : manifest) {
                addWithLinks(item.path("Config").asText(""), needed);
                item.path("Layers").forEach(layer -> addWithLinks(layer.asText(""), needed));
            }
        }
        JsonNode index = json(LayoutPaths.INDEX_FILE);
        Deque<JsonNode> descriptors = new ArrayDeque<>();
        if (index != null) {
            index.path("manifests").forEach(descriptors::add);
        }
        Set<String> expanded = new java.util.HashSet<>();
        while (!descriptors.isEmpty()) {
            JsonNode descriptor = descriptors.pop();
            String path = blobPath(descriptor.path("digest").asText(""));
            if (path == null || !addWithLinks(path, needed)) {
                continue;
            }
            String mediaType = descriptor.path("mediaType").asText("");
            if ((mediaType.contains("manifest") || mediaType.contains("index")) && expanded.add(path)) {
                JsonNode content = json(path);
                if (content != null) {
                    content.path("manifests").forEach(descriptors::add);
                    if (content.has("config")) {
                        addWithLinks(blobPath(content.path("config").path("digest").asText("")), needed);
                    }
                    content.path("layers").forEach(layer -> addWithLinks(blobPath(layer.path("digest").asText("")), needed));
                }
            }
        }
        return needed;
    }

    private static String blobPath(String digest) {
        int colon = digest.indexOf(':');
        if (colon <= 0 || digest.indexOf('/') >= 0 || digest.contains("..")) {
            return null;
        }
        return "blobs/" + digest.substring(0, colon) + "/" + digest.substring(colon + 1);
    }

    /** Adds {@code name} and, for a link, what it leads to; whether the archive has it. */
    private boolean addWithLinks(String name, Set<String> needed) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        String key = ArchiveReader.normalize(name);
        for (int hops = 0; hops < 16; hops++) {
            TarArchiveEntry entry = headers.get(key);
            if (entry == null) {
                return hops > 0;
            }
            needed.add(key);
            if (!entry.isSymbolicLink() && !entry.isLink()) {
                return true;
            }
            String link = entry.getLinkName();
            if (entry.isLink()) {
                key = ArchiveReader.normalize(link);
            } else {
                Path base = Path.of(key).getParent();
                key = ArchiveReader.normalize((base == null ? Path.of(link) : base.resolve(link)).normalize().toString());
            }
        }
        return true;
    }

    /** A small entry's JSON, or null when it is absent, too big or not JSON (the reader reports that). */
    private JsonNode json(String name) {
        TarArchiveEntry entry = headers.get(name);
        if (entry == null || !entry.isFile() || entry.getSize() > MAX_JSON) {
            return null;
        }
        byte[] bytes = kept.get(name);
        if (bytes == null) {
            bytes = readOne(name);
        }
        try {
            JsonNode node = io.gantry.registry.ManifestCodec.JSON.readTree(bytes);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    /** One more pass, for a needed small entry that did not fit in memory. */
    private byte[] readOne(String name) {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(open())) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (ArchiveReader.normalize(entry.getName()).equals(name) && entry.isFile()) {
                    return tar.readAllBytes();
                }
            }
            return new byte[0];
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** The second pass: the needed entries, in archive order, to {@code spool}. */
    private void write(Set<String> needed, Path spool) {
        OutputStream file;
        try {
            file = Files.newOutputStream(spool);
        } catch (IOException e) {
            throw FileOps.writeFailure(op, spool, e);
        }
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(new java.io.BufferedOutputStream(file, 1 << 16));
             TarArchiveInputStream tar = new TarArchiveInputStream(open())) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Set<String> left = new java.util.HashSet<>(needed);
            TarArchiveEntry entry;
            byte[] buffer = new byte[1 << 16];
            int position = 0;
            while (!left.isEmpty() && (entry = next(tar)) != null) {
                String name = ArchiveReader.normalize(entry.getName());
                if (last.getOrDefault(name, -1) != position++ || !left.remove(name)) {
                    continue; // skipped: read past, never written
                }
                TarArchiveEntry copy = new TarArchiveEntry(name, entry.isSymbolicLink() ? TarArchiveEntry.LF_SYMLINK
                        : entry.isLink() ? TarArchiveEntry.LF_LINK : entry.isDirectory() ? TarArchiveEntry.LF_DIR
                        : TarArchiveEntry.LF_NORMAL);
                if (entry.isSymbolicLink() || entry.isLink()) {
                    copy.setLinkName(entry.getLinkName());
                } else if (entry.isFile()) {
                    copy.setSize(entry.getRealSize());
                }
                writeQuietly(() -> out.putArchiveEntry(copy), spool);
                if (entry.isFile()) {
                    int n;
                    while ((n = read(tar, buffer)) > 0) {
                        int length = n;
                        writeQuietly(() -> out.write(buffer, 0, length), spool);
                    }
                }
                writeQuietly(out::closeArchiveEntry, spool);
            }
            writeQuietly(out::finish, spool);
        } catch (IOException e) {
            throw FileOps.writeFailure(op, spool, e); // closing the spool (the reads report their own failures)
        }
    }

    private TarArchiveEntry next(TarArchiveInputStream tar) {
        try {
            return tar.getNextEntry();
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private int read(TarArchiveInputStream tar, byte[] buffer) {
        try {
            return tar.read(buffer);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    private void writeQuietly(Write write, Path spool) {
        try {
            write.run();
        } catch (IOException e) {
            throw FileOps.writeFailure(op, spool, e);
        }
    }
}
