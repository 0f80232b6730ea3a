package io.gantry.engine.containerd;

import io.gantry.core.Digest;
import io.gantry.core.Manifest;
import io.gantry.core.ImageConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a listing needs of each image record's target — the manifest chosen for this machine's
 * platform, its config, its layers' digests and sizes, the config's diff IDs and created time — so
 * that a listing of a namespace reads no content for the images it has seen before: without it,
 * every image is two or three {@code Content/Read} round trips (most of a cold {@code gantry images}
 * of 1,000 images). Kept in memory for the store's life and, when the store has a directory for it,
 * in a file per namespace there, so that the next process starts with it.
 *
 * <p>Entries are keyed by the target's digest, and content never changes under a digest, so an
 * entry cannot go stale; the caller uses one only while the content store still holds the target,
 * the manifest and the config (one {@code Content/List} per listing tells). Entries of targets the
 * namespace no longer names are dropped at the next write. The file is only a cache: one that is
 * missing, of another version or platform, or damaged in any way is ignored as a whole and written
 * anew; failures to write it are logged, never thrown.
 *
 * <p>Format, one line per target after a version line that names the platform, tab-separated:
 * target digest, manifest digest, config digest, config size, created (seconds and nanoseconds since
 * the epoch, {@code 1733500800.0}; {@code -} when the config has none), layers as {@code digest=size} joined by commas, diff IDs joined by commas.
 */
final class ListingFacts {

    private static final Logger LOG = LoggerFactory.getLogger(ListingFacts.class);
    private static final String VERSION = "gantry-containerd-listing 2";

    /** A blob a listing counts: its digest and its size. */
    record Blob(Digest digest, long size) {
    }

    /** One target's listing facts. */
    record Facts(Digest manifest, Blob config, List<Blob> layers, List<Digest> diffIds, Optional<Instant> created) {

        Facts {
            layers = List.copyOf(layers);
            diffIds = List.copyOf(diffIds);
        }

        static Facts of(Digest manifestDigest, Manifest manifest, ImageConfig config) {
            return new Facts(manifestDigest, new Blob(manifest.config().digest(), manifest.config().size()),
                    manifest.layers().stream().map(l -> new Blob(l.digest(), l.size())).toList(), config.diffIds(),
                    config.created());
        }

        List<Long> layerSizes() {
            return layers.stream().map(Blob::size).toList();
        }
    }

    private final Optional<Path> file;
    private final String versionLine;
    private final Map<Digest, Facts> facts = new ConcurrentHashMap<>();
    private boolean loaded;
    private Set<Digest> onDisk = Set.of();

    /** Facts for one namespace, in {@code file} when given; {@code platform} is the one targets were resolved for. */
    ListingFacts(Optional<Path> file, String platform) {
        this.file = file;
        this.versionLine = VERSION + " " + platform;
    }

    /** The facts of {@code target} known from an earlier listing (of this process or, by the file, another). */
    synchronized Optional<Facts> get(Digest target) {
        loadOnce();
        return Optional.ofNullable(facts.get(target));
    }

    /** Remembers {@code value}, unless its layers and diff IDs do not pair up (the file could not hold it). */
    synchronized void put(Digest target, Facts value) {
        if (value.layers().size() == value.diffIds().size()) {
            facts.put(target, value);
        }
    }

    /** Keeps only {@code listed}, and writes the file when it holds another set. */
    synchronized void save(Set<Digest> listed) {
        loadOnce();
        facts.keySet().retainAll(listed);
        if (file.isEmpty() || onDisk.equals(facts.keySet())) {
            return;
        }
        StringBuilder out = new StringBuilder(facts.size() * 400).append(versionLine).append('\n');
        facts.forEach((target, f) -> out.append(target).append('\t').append(f.manifest()).append('\t')
                .append(f.config().digest()).append('\t').append(f.config().size()).append('\t')
                .append(f.created().map(c -> c.getEpochSecond() + "." + c.getNano()).orElse("-")).append('\t')
                .append(String.join(",", f.layers().stream().map(l -> l.digest() + "=" + l.size()).toList()))
                .append('\t').append(String.join(",", f.diffIds().stream().map(Digest::toString).toList()))
                .append('\n'));
        Path target = file.get();
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                Files.writeString(temp, out, StandardCharsets.UTF_8);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            onDisk = Set.copyOf(facts.keySet());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not write the containerd listing cache {}: {}", target, io.gantry.core.IoProblem.describe(e));
        }
    }

    /**
     * Reads the file, if not yet read (ahead of the first {@link #get}, which otherwise does);
     * whether any facts are known.
     */
    synchronized boolean load() {
        loadOnce();
        return !facts.isEmpty();
    }

    private void loadOnce() {
        if (loaded) {
            return;
        }
        loaded = true;
        Map<Digest, Facts> read = file.map(this::read).orElse(Map.of());
        read.forEach(facts::putIfAbsent);
        onDisk = Set.copyOf(read.keySet());
    }

    private Map<Digest, Facts> read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring the containerd listing cache {}: {}", path, io.gantry.core.IoProblem.describe(e));
            return Map.of();
        }
        if (lines.isEmpty() || !lines.get(0).equals(versionLine)) {
            return Map.of();
        }
        Map<Digest, Facts> read = new ConcurrentHashMap<>();
        try {
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t", -1);
                if (f.length != 7) {
                    throw new IllegalArgumentException("a line has " + f.length + " fields");
                }
                List<Blob> layers = new ArrayList<>();
                for (String layer : split(f[5])) {
                    int eq = layer.lastIndexOf('=');
                    layers.add(new Blob(Digest.of(layer.substring(0, eq)), Long.parseLong(layer.substring(eq + 1))));
                }
                List<Digest> diffIds = split(f[6]).stream().map(Digest::of).toList();
                if (diffIds.size() != layers.size()) {
                    throw new IllegalArgumentException("a line has " + layers.size() + " layers and " + diffIds.size()
                            + " diff IDs");
                }
                Optional<Instant> created = f[4].equals("-") ? Optional.empty() : Optional.of(instant(f[4]));
                read.put(Digest.of(f[0]), new Facts(Digest.of(f[1]), new Blob(Digest.of(f[2]), Long.parseLong(f[3])),
                        layers, diffIds, created));
            }
        } catch (RuntimeException e) {
            LOG.warn("ignoring the damaged containerd listing cache {}: {}", path, io.gantry.core.IoProblem.describe(e));
            return Map.of();
        }
        return read;
    }

    /** {@code seconds.nanos} since the epoch: parsed without {@code DateTimeFormatter}, slow in a cold JVM. */
    private static Instant instant(String secondsDotNanos) {
        int dot = secondsDotNanos.indexOf('.');
        return Instant.ofEpochSecond(Long.parseLong(secondsDotNanos.substring(0, dot)),
                Integer.parseInt(secondsDotNanos.substring(dot + 1)));
    }

    private static List<String> split(String joined) {
        return joined.isEmpty() ? List.of() : List.of(joined.split(","));
    }
}
