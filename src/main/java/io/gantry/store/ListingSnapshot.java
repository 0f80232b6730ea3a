package io.gantry.store;

import io.gantry.core.Digest;
import io.gantry.engine.ImageSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole listing of the store ({@code listImages} and {@code diskUsage}) kept in {@code
 * .gantry/listing-snapshot} together with the exact bytes of the {@code index.json} it was made
 * from, so that a cold {@code gantry images} on an unchanged store reads two files instead of
 * parsing {@code index.json}, each entry's name and the {@link ListingCache}, and computing SIZE,
 * SHARED and UNIQUE again.
 *
 * <p>A snapshot is used only when {@code index.json} is byte for byte the one it was made from and
 * every manifest and config blob its entries name is still stored. That is checked cheaply: the
 * snapshot keeps the inode number and change time ({@code ctime}) of each directory of {@code
 * blobs/}, read before the listing it holds was made; a blob cannot be removed, added or renamed
 * without changing its directory's {@code ctime}, which no program can set back. The stamp is
 * trusted only when that {@code ctime} was at least {@link #SETTLED} older than the clock when it was
 * read (a later change in the same tick of a coarse file-system clock would leave it alone). When
 * the stamp differs or is not trusted, each manifest and config is checked with one {@code stat}
 * (there, with its size, as the listing cache checks), and the snapshot is written again with the
 * new stamp when that one is trusted. A blob rewritten in place (not renamed: nothing Gantry or
 * other layout tools do) is not noticed while the stamp holds; {@code gantry verify} checks the
 * content. A snapshot that fails its checksum, is of another version or is damaged in any way is
 * ignored. Anything else (a tag, delete, pull or load by
 * Gantry, or another tool's edit of {@code index.json}) changes the bytes, and the listing is made
 * the slow way and written anew, atomically (temp file, fsync, rename). It is made only from a
 * listing in which every entry is an image manifest that resolved: an index's child depends on
 * what is stored, and a damaged entry is reported each time. The file is never the only copy of
 * anything: deleting it changes nothing but the time of the next listing.
 *
 * <p>Format: a magic line, a version, {@code index.json}'s length and bytes, the stamp, the disk
 * use, each entry's manifest and config (name under {@code blobs/} and size), each image's summary,
 * and a CRC-32C of all that.
 */
final class ListingSnapshot {

    private static final Logger log = LoggerFactory.getLogger(ListingSnapshot.class);
    static final String FILE = "listing-snapshot";
    private static final byte[] MAGIC = "gantry listing snapshot\n".getBytes(StandardCharsets.US_ASCII);
    /** 2: the figures of an image kept as several blob sets count the layers of all of them. */
    private static final int VERSION = 2;
    /** Where index.json's bytes start: after the magic line, the version and the length. */
    private static final int INDEX_AT = MAGIC.length + 4 + 4;
    /** How much older than the clock a directory's change time must be for its stamp to be trusted. */
    static final Duration SETTLED = Duration.ofSeconds(2);

    /** A manifest or config blob an entry names: {@code alg/hex} under {@code blobs/}, and its size. */
    record Blob(String name, long size) {

        static Blob of(Digest digest, long size) {
            return new Blob(digest.algorithm() + "/" + digest.hex(), size);
        }
    }

    /**
     * The directories of {@code blobs/}, each with its inode number and change time, as text; {@code
     * trusted} when every change time was {@link #SETTLED} before the clock at the time they were read.
     * Empty and untrusted where the file system does not tell.
     */
    record Stamp(String text, boolean trusted) {

        static final Stamp NONE = new Stamp("", false);

        boolean sameAs(Stamp other) {
            return !text.isEmpty() && text.equals(other.text);
        }
    }

    /** What a listing answers: every image's summary and the bytes their blobs take. */
    record Listing(List<ImageSummary> images, long diskUsage) {

        Listing {
            images = List.copyOf(images);
        }
    }

    /** A snapshot as read: the index bytes it was made from, the blobs' stamp, the blobs to check, the listing. */
    private record Read(byte[] index, Stamp stamp, List<Blob> blobs, Listing listing) {
    }

    private final LayoutPaths paths;
    private final boolean writable;
    private final Clock clock;
    /** The index bytes the store's open checked and the snapshot made from them (none: no usable one). */
    private record Checked(byte[] index, Optional<Read> read) {
    }

    /** What the store's open found, for the listing that follows at once (then dropped). */
    private final AtomicReference<Checked> atOpen = new AtomicReference<>();
    private final AtomicLong used = new AtomicLong();

    ListingSnapshot(LayoutPaths paths, boolean writable, Clock clock) {
        this.paths = paths;
        this.writable = writable;
        this.clock = clock;
    }

    Path file() {
        return paths.work().resolve(FILE);
    }

    /**
     * Whether the snapshot was made from exactly {@code indexBytes} (so they parsed then, and the
     * open need not parse them again); keeps what it read for the listing that follows.
     */
    boolean madeFrom(byte[] indexBytes) {
        Optional<Read> read = readFile().filter(r -> Arrays.equals(r.index(), indexBytes));
        atOpen.set(new Checked(indexBytes, read));
        return read.isPresent();
    }

    /**
     * The listing, when the snapshot was made from exactly {@code indexBytes} and every manifest
     * and config it names is still stored with its size; empty otherwise (the caller lists the slow
     * way and {@link #save}s).
     */
    Optional<Listing> listing(byte[] indexBytes) {
        Checked opened = atOpen.getAndSet(null);
        Read read = opened != null && Arrays.equals(opened.index(), indexBytes)
                ? opened.read().orElse(null)
                : readFile().filter(r -> Arrays.equals(r.index(), indexBytes)).orElse(null);
        if (read == null) {
            return Optional.empty();
        }
        Stamp now = stamp();
        if (!(read.stamp().trusted() && read.stamp().sameAs(now))) {
            if (!allStored(read.blobs())) {
                return Optional.empty();
            }
            if (now.trusted()) {
                save(indexBytes, now, read.blobs(), read.listing()); // the next listing need not stat them
            }
        }
        used.incrementAndGet();
        return Optional.of(read.listing());
    }

    /**
     * The stamp of {@code blobs/}'s directories now; read before a listing's blobs are (a listing
     * made after it holds for as long as the stamp does).
     */
    Stamp stamp() {
        Instant now = clock.instant();
        try (Stream<Path> dirs = Files.list(paths.blobs())) {
            StringBuilder text = new StringBuilder();
            boolean trusted = true;
            for (Path dir : dirs.sorted().toList()) {
                Map<String, Object> attributes = Files.readAttributes(dir, "unix:ino,ctime", LinkOption.NOFOLLOW_LINKS);
                Instant changed = ((FileTime) attributes.get("ctime")).toInstant();
                trusted &= changed.isBefore(now.minus(SETTLED));
                text.append(dir.getFileName()).append(' ').append(attributes.get("ino")).append(' ')
                        .append(changed.getEpochSecond()).append('.').append(changed.getNano()).append('\n');
            }
            return new Stamp(text.toString(), trusted);
        } catch (IOException | RuntimeException e) {
            return Stamp.NONE; // no unix attributes here, or blobs/ unreadable: every blob is checked
        }
    }

    /** How many listings this instance answered from the snapshot. */
    long used() {
        return used.get();
    }

    private boolean allStored(List<Blob> blobs) {
        // java.io.File: one stat per blob, no exception or attribute object for each of 20,000
        String dir = paths.blobs().toString() + File.separator;
        for (Blob blob : blobs) {
            if (new File(dir + blob.name()).length() != blob.size()) {
                return false; // gone, replaced or not a file: length() is 0 for a missing file, and no blob here is empty
            }
        }
        return true;
    }

    /**
     * Writes the snapshot of {@code listing}, made from {@code indexBytes}, whose entries named
     * {@code blobs}. Failures are logged, never thrown: a listing does not fail for its snapshot.
     */
    void save(byte[] indexBytes, Stamp stamp, List<Blob> blobs, Listing listing) {
        if (!writable) {
            return;
        }
        if (blobs.stream().anyMatch(b -> b.size() <= 0)) {
            forget(); // an empty blob could not be told from a missing one
            return;
        }
        try {
            byte[] content = encode(indexBytes, stamp, blobs, listing);
            removeStaleTemps();
            // beside the snapshot, not in a session directory: a listing starts no session
            FileOps.writeAtomically(file(), content, paths.work());
        } catch (IOException | RuntimeException e) {
            log.debug("could not write the listing snapshot {}: {}", file(), e.toString());
        }
    }

    /** Removes the snapshot (a listing that cannot have one: no use reading a stale one every time). */
    void forget() {
        atOpen.set(null);
        if (!writable) {
            return;
        }
        try {
            Files.deleteIfExists(file());
        } catch (IOException | RuntimeException e) {
            log.debug("could not remove the listing snapshot {}: {}", file(), e.toString());
        }
    }

    private static byte[] encode(byte[] indexBytes, Stamp stamp, List<Blob> blobs, Listing listing) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(indexBytes.length + 160 * blobs.size()
                + 200 * listing.images().size() + 64);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(indexBytes.length);
        out.write(indexBytes);
        out.writeUTF(stamp.text());
        out.writeBoolean(stamp.trusted());
        out.writeLong(listing.diskUsage());
        out.writeInt(blobs.size());
        for (Blob blob : blobs) {
            out.writeUTF(blob.name());
            out.writeLong(blob.size());
        }
        out.writeInt(listing.images().size());
        for (ImageSummary image : listing.images()) {
            out.writeUTF(image.id().toString());
            out.writeLong(image.created().getEpochSecond());
            out.writeInt(image.created().getNano());
            out.writeLong(image.size());
            out.writeLong(image.sharedSize());
            out.writeInt(image.containers());
            strings(out, image.repoTags());
            strings(out, image.repoDigests());
        }
        out.flush();
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        return bytes.toByteArray();
    }

    private static void strings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            out.writeUTF(value);
        }
    }

    private Optional<Read> readFile() {
        byte[] file;
        try {
            file = Files.readAllBytes(file());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.debug("ignoring the listing snapshot {}: {}", file(), e.toString());
            return Optional.empty();
        }
        try {
            return Optional.of(decode(file));
        } catch (IOException | RuntimeException e) {
            log.debug("ignoring the damaged listing snapshot {}: {}", file(), e.toString());
            return Optional.empty();
        }
    }

    /** The snapshot in {@code file}; {@link IOException} or {@link IllegalArgumentException} for anything amiss. */
    private static Read decode(byte[] file) throws IOException {
        if (file.length < INDEX_AT + 8 || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException("not a listing snapshot");
        }
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - 8);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(file));
        in.skipNBytes(MAGIC.length);
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("version " + version + ", not " + VERSION);
        }
        long stored = new DataInputStream(new ByteArrayInputStream(file, file.length - 8, 8)).readLong();
        if (stored != crc.getValue()) {
            throw new IOException("checksum mismatch");
        }
        int indexLength = in.readInt();
        if (indexLength < 0 || indexLength > file.length - INDEX_AT - 8) {
            throw new IOException("index length " + indexLength + " out of range");
        }
        byte[] index = Arrays.copyOfRange(file, INDEX_AT, INDEX_AT + indexLength);
        in.skipNBytes(indexLength);
        Stamp stamp = new Stamp(in.readUTF(), in.readBoolean());
        long diskUsage = in.readLong();
        int blobCount = count(in, file.length);
        List<Blob> blobs = new ArrayList<>(blobCount);
        for (int i = 0; i < blobCount; i++) {
            String name = in.readUTF();
            if (name.contains("..")) {
                throw new IOException("a blob name leaves blobs/: " + name);
            }
            blobs.add(new Blob(name, in.readLong()));
        }
        int imageCount = count(in, file.length);
        List<ImageSummary> images = new ArrayList<>(imageCount);
        for (int i = 0; i < imageCount; i++) {
            Digest id = Digest.of(in.readUTF());
            Instant created = Instant.ofEpochSecond(in.readLong(), in.readInt());
            long size = in.readLong();
            long shared = in.readLong();
            int containers = in.readInt();
            List<String> tags = strings(in, file.length);
            List<String> digests = strings(in, file.length);
            images.add(new ImageSummary(id, tags, digests, created, size, shared, containers));
        }
        if (in.available() != 8) {
            throw new IOException((in.available() - 8) + " bytes left after the last image");
        }
        return new Read(index, stamp, blobs, new Listing(images, diskUsage));
    }

    private static int count(DataInputStream in, int fileLength) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > fileLength) {
            throw new IOException("count " + n + " out of range");
        }
        return n;
    }

    private static List<String> strings(DataInputStream in, int fileLength) throws IOException {
        int n = count(in, fileLength);
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(in.readUTF());
        }
        return values;
    }

    /** Temp files of writes whose process died before its rename (an hour old: no live write takes that long). */
    private void removeStaleTemps() {
        Instant cutoff = Instant.now().minus(Duration.ofHours(1));
        try (Stream<Path> files = Files.list(paths.work())) {
            for (Path temp : files.filter(f -> f.getFileName().toString().startsWith("." + FILE)
                    && f.getFileName().toString().endsWith(".tmp")).toList()) {
                if (Files.getLastModifiedTime(temp).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException e) {
            log.debug("could not look for stale snapshot temp files in {}: {}", paths.work(), e.toString());
        }
    }
}
