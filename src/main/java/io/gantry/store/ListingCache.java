package io.gantry.store;

import io.gantry.core.Digest;
import io.gantry.core.ImageConfig;
import io.gantry.core.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a listing needs of each image manifest — its config blob, its layers' digests and sizes,
 * the config's diff IDs and created time — kept in {@code .gantry/listing} so that a cold
 * {@code gantry images} reads one file instead of reading, hashing and parsing a manifest and a
 * config per image (two small files each; most of the CPU of listing 10,000 images).
 *
 * <p>Entries are keyed by the manifest's digest, and content never changes under a digest, so an
 * entry cannot go stale; an entry whose manifest is no longer in {@code index.json} is dropped at
 * the next write. The file is only a cache: one that is missing, of another version or damaged in
 * any way is ignored as a whole and written anew; a store Gantry may not write to is listed
 * without it. What a listing skips is re-checking the two blobs' digests on every listing: it
 * checks that both blobs are still there with their sizes, and {@code inspect}, {@code history}
 * and {@code gantry verify} read and check the content itself, as before.
 *
 * <p>Format, one line per manifest after a version line, tab-separated: manifest digest, config
 * digest, config size, created as seconds since the epoch, a dot and the nanoseconds ({@code 1700000000.0};
 * {@code -} when the config has none), layers as {@code digest=size} joined by commas, diff IDs
 * joined by commas. Reading it is most of a cold listing's work, so it is made cheap to read: no
 * date parsing, and a digest that many lines share (a base layer) is parsed once.
 */
final class ListingCache {

    private static final Logger log = LoggerFactory.getLogger(ListingCache.class);
    static final String FILE = "listing";
    private static final String VERSION_LINE = "gantry-listing 2";

    /** A blob a listing counts: its digest and its size. */
    record Blob(Digest digest, long size) {
    }

    /** A manifest's listing facts. */
    record Facts(Blob config, List<Blob> layers, List<Digest> diffIds, Optional<Instant> created) {

        Facts {
            layers = List.copyOf(layers);
            diffIds = List.copyOf(diffIds);
        }

        static Facts of(Manifest manifest, ImageConfig config) {
            return new Facts(new Blob(manifest.config().digest(), manifest.config().size()),
                    manifest.layers().stream().map(l -> new Blob(l.digest(), l.size())).toList(),
                    config.diffIds(), config.created());
        }
    }

    private final LayoutPaths paths;
    private final boolean writable;
    private final Map<Digest, Facts> facts = new ConcurrentHashMap<>();
    private final Object fileMonitor = new Object();
    private boolean loaded;
    /** The manifests the file holds, as far as this process knows. */
    private Set<Digest> onDisk = Set.of();

    ListingCache(LayoutPaths paths, boolean writable) {
        this.paths = paths;
        this.writable = writable;
    }

    Path file() {
        return paths.work().resolve(FILE);
    }

    /**
     * The facts of the manifest {@code manifest}, when known and both its blobs are still stored
     * with their sizes (one {@code stat} each); empty otherwise, and the caller reads the content.
     */
    Optional<Facts> get(Digest manifest, long manifestSize) {
        loadOnce();
        Facts known = facts.get(manifest);
        if (known == null || !stored(manifest, manifestSize) || !stored(known.config().digest(), known.config().size())) {
            return Optional.empty();
        }
        return Optional.of(known);
    }

    /**
     * The image ID (config digest) of the manifest {@code manifest} when the cache knows it, without
     * checking that its blobs are still stored: content named by its digest never changes, so this
     * is true as long as the manifest is; whether the image can be read is for the caller to find.
     */
    Optional<Digest> imageIdOf(Digest manifest) {
        loadOnce();
        return Optional.ofNullable(facts.get(manifest)).map(f -> f.config().digest());
    }

    void put(Digest manifest, Facts value) {
        facts.put(manifest, value);
    }

    /**
     * Writes the file when it lacks one of {@code listed} or holds others; keeps only
     * {@code listed}. Failures are logged, never thrown: a listing does not fail for its cache.
     */
    void save(Set<Digest> listed) {
        if (!writable) {
            return;
        }
        synchronized (fileMonitor) {
            facts.keySet().retainAll(listed);
            if (onDisk.equals(facts.keySet())) {
                return;
            }
            StringBuilder out = new StringBuilder(facts.size() * 400).append(VERSION_LINE).append('\n');
            facts.forEach((digest, f) -> line(out, digest, f));
            try {
                removeStaleTemps();
                // the temp file sits beside the cache, not in this process's session directory:
                // a listing should not start a session (and its lock) just to leave a cache behind
                FileOps.writeAtomically(file(), out.toString().getBytes(StandardCharsets.UTF_8), paths.work());
                onDisk = Set.copyOf(facts.keySet());
            } catch (IOException | RuntimeException e) {
                log.warn("could not write the listing cache {}: {}", file(), io.gantry.core.IoProblem.describe(e));
            }
        }
    }

    /** Temp files of writes whose process died before its rename (an hour old: no live write takes that long). */
    private void removeStaleTemps() {
        Instant cutoff = Instant.now().minus(java.time.Duration.ofHours(1));
        try (java.util.stream.Stream<Path> files = Files.list(paths.work())) {
            for (Path temp : files.filter(f -> f.getFileName().toString().startsWith("." + FILE)
                    && f.getFileName().toString().endsWith(".tmp")).toList()) {
                if (Files.getLastModifiedTime(temp).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException e) {
            log.debug("could not look for stale listing temp files in {}: {}", paths.work(), io.gantry.core.IoProblem.describe(e));
        }
    }

    private void loadOnce() {
        synchronized (fileMonitor) {
            if (!loaded) {
                loaded = true;
                Map<Digest, Facts> read = read();
                read.forEach(facts::putIfAbsent);
                onDisk = Set.copyOf(read.keySet());
            }
        }
    }

    private boolean stored(Digest digest, long size) {
        try {
            return Files.size(paths.blob(digest)) == size;
        } catch (IOException e) {
            return false; // missing or unreadable: the caller reads the content and says what is wrong
        }
    }

    private Map<Digest, Facts> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring the listing cache {}: {}", file(), io.gantry.core.IoProblem.describe(e));
            return Map.of();
        }
        if (lines.isEmpty() || !lines.get(0).equals(VERSION_LINE)) {
            return Map.of();
        }
        Map<Digest, Facts> read = new HashMap<>(lines.size() * 4 / 3 + 1);
        Map<String, Digest> digests = new HashMap<>(); // each distinct digest parsed once
        try {
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t", -1);
                if (f.length != 6) {
                    throw new IllegalArgumentException("a line has " + f.length + " fields");
                }
                List<Blob> layers = new ArrayList<>();
                for (String layer : split(f[4])) {
                    int eq = layer.lastIndexOf('=');
                    layers.add(new Blob(digests.computeIfAbsent(layer.substring(0, eq), Digest::of),
                            Long.parseLong(layer.substring(eq + 1))));
                }
                List<Digest> diffIds = split(f[5]).stream().map(d -> digests.computeIfAbsent(d, Digest::of)).toList();
                if (diffIds.size() != layers.size()) {
                    throw new IllegalArgumentException("a line has " + layers.size() + " layers and " + diffIds.size()
                            + " diff IDs");
                }
                Optional<Instant> created = f[3].equals("-") ? Optional.empty() : Optional.of(instant(f[3]));
                read.put(Digest.of(f[0]), new Facts(new Blob(Digest.of(f[1]), Long.parseLong(f[2])), layers, diffIds, created));
            }
        } catch (RuntimeException e) {
            log.warn("ignoring the damaged listing cache {}: {}", file(), io.gantry.core.IoProblem.describe(e));
            return Map.of();
        }
        return read;
    }

    /** {@code seconds.nanos} since the epoch, as {@link #line} writes it. */
    private static Instant instant(String text) {
        int dot = text.indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("a created time is not seconds.nanos: " + text);
        }
        return Instant.ofEpochSecond(Long.parseLong(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
    }

    private static List<String> split(String field) {
        return field.isEmpty() ? List.of() : List.of(field.split(","));
    }

    private static void line(StringBuilder out, Digest manifest, Facts f) {
        out.append(manifest).append('\t').append(f.config().digest()).append('\t').append(f.config().size()).append('\t')
                .append(f.created().map(t -> t.getEpochSecond() + "." + t.getNano()).orElse("-")).append('\t');
        for (int i = 0; i < f.layers().size(); i++) {
            out.append(i == 0 ? "" : ",").append(f.layers().get(i).digest()).append('=').append(f.layers().get(i).size());
        }
        out.append('\t');
        for (int i = 0; i < f.diffIds().size(); i++) {
            out.append(i == 0 ? "" : ",").append(f.diffIds().get(i));
        }
        out.append('\n');
    }
}
