package io.gantry.store;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageIndex;
import io.gantry.core.IoProblem;
import io.gantry.core.Manifest;
import io.gantry.core.ManifestContent;
import io.gantry.core.MediaTypes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection (go-containerregistry's {@code layout.GarbageCollect}, mark and sweep): a
 * blob is live when an {@code index.json} entry reaches it through manifests and indexes, or as
 * the index or original manifest an image came as. Sweeps run with the store held exclusively, so
 * a pull's or import's blobs are never collected before the index references them.
 */
final class LayoutGc {

    private static final Logger log = LoggerFactory.getLogger(LayoutGc.class);

    /** Blobs removed by a sweep, with their total size. */
    record SweepResult(List<Descriptor> removed, long bytes) {
    }

    private final StoreLocks locks;
    private final LayoutIndex index;
    private final LayoutBlobs blobs;
    private final LayoutContent content;
    private final WorkFiles work;
    /** Blobs that entries dropped from the index reached, to free once nothing references them ({@link #collectDropped}). */
    private final Set<Digest> dropped = ConcurrentHashMap.newKeySet();

    LayoutGc(StoreLocks locks, LayoutIndex index, LayoutBlobs blobs, LayoutContent content, WorkFiles work) {
        this.locks = locks;
        this.index = index;
        this.blobs = blobs;
        this.content = content;
        this.work = work;
    }

    /** Removes every unreachable blob and the work files of dead processes; a dry run only reports. */
    GcReport gc(boolean dryRun) {
        String op = dryRun ? "plan garbage collection" : "collect garbage";
        try (StoreLocks.Held held = dryRun ? locks.shared(op) : locks.exclusive(op)) {
            Set<Digest> live = mark(index.read(op).entries());
            if (dryRun) {
                List<Descriptor> garbage = unmarked(live);
                return new GcReport(garbage, garbage.stream().mapToLong(Descriptor::size).sum(), work.clean(true), true);
            }
            SweepResult sweep = sweep(live, null);
            return new GcReport(sweep.removed(), sweep.bytes(), work.clean(false), false);
        }
    }

    /** Removes those of {@code candidates} nothing references any more, if the store can be had within {@code wait}. */
    SweepResult collect(String op, Set<Digest> candidates, Duration wait) {
        return tryCollect(op, candidates, wait).orElse(new SweepResult(List.of(), 0));
    }

    private Optional<SweepResult> tryCollect(String op, Set<Digest> candidates, Duration wait) {
        StoreLocks.Held held;
        try {
            held = locks.exclusive(op, wait);
        } catch (GantryException busy) {
            log.info("{}: store busy, unreferenced blobs stay until the next prune", op);
            return Optional.empty();
        }
        try (held) {
            Set<Digest> live = mark(index.read(op).entries());
            return Optional.of(sweep(live, candidates));
        }
    }

    /**
     * Remembers what {@code entries}, just dropped from the index, reach: a name that moved to
     * another manifest of the same image (pulled again gzipped where it had come uncompressed, say)
     * leaves the old manifest and its layers unreferenced, as a moved tag leaves content for
     * containerd's collector. Call with the store held shared, so the manifests are still there.
     */
    void noteDropped(List<IndexEntry> entries) {
        if (!entries.isEmpty()) {
            dropped.addAll(mark(entries));
        }
    }

    /**
     * Frees the noted blobs nothing references any more, as an operation that may drop entries
     * ends; call holding no store lock. When the store is busy (another process's pull) they stay
     * noted for the next operation, and the next prune or {@code gc} frees them in any case.
     */
    void collectDropped(String op) {
        if (dropped.isEmpty()) {
            return;
        }
        Set<Digest> candidates = Set.copyOf(dropped);
        dropped.removeAll(candidates);
        Optional<SweepResult> swept = tryCollect(op, candidates, Duration.ofSeconds(2));
        if (swept.isEmpty()) {
            dropped.addAll(candidates);
        } else if (!swept.get().removed().isEmpty()) {
            log.info("{}: freed {} blobs ({} bytes) nothing references after a name moved", op,
                    swept.get().removed().size(), swept.get().bytes());
        }
    }

    /** Every blob reachable from the entries. */
    Set<Digest> mark(List<IndexEntry> entries) {
        Set<Digest> live = new HashSet<>();
        Deque<Descriptor> work = new ArrayDeque<>();
        for (IndexEntry entry : entries) {
            work.push(entry.descriptor());
            entry.provenance().forEach(d -> live.add(d.digest()));
        }
        while (!work.isEmpty()) {
            Descriptor d = work.pop();
            if (!live.add(d.digest())) {
                continue;
            }
            if (!MediaTypes.isSupportedManifest(d.mediaType()) || !blobs.has(d.digest())) {
                continue;
            }
            try {
                ManifestContent parsed = content.content(d);
                if (parsed instanceof Manifest m) {
                    work.push(m.config());
                    m.layers().forEach(work::push);
                } else if (parsed instanceof ImageIndex idx) {
                    idx.manifests().forEach(work::push);
                }
            } catch (GantryException e) {
                // damaged content: nothing more is reachable through it; verify reports it
            }
        }
        return live;
    }

    /** Stored blobs not in {@code live}, by digest. */
    List<Descriptor> unmarked(Set<Digest> live) {
        List<Descriptor> garbage = new ArrayList<>();
        blobs.forEach((digest, file) -> {
            if (!live.contains(digest)) {
                garbage.add(Descriptor.of("application/octet-stream", digest, LayoutBlobs.sizeOf(file)));
            }
        });
        garbage.sort(Comparator.comparing(Descriptor::digest));
        return garbage;
    }

    /**
     * Those of {@code candidates} not in {@code live} that are stored, by digest: what
     * {@link #unmarked(Set)} gives among them, without listing every blob of the store (a delete
     * on a store of 10,000 images stat-ed some 60,000 files for its handful of candidates).
     */
    private List<Descriptor> unmarked(Set<Digest> live, Set<Digest> candidates) {
        List<Descriptor> garbage = new ArrayList<>();
        for (Digest digest : candidates) {
            if (!live.contains(digest) && blobs.has(digest)) {
                long size;
                try {
                    size = blobs.size(digest);
                } catch (GantryException gone) {
                    continue; // removed meanwhile by another process's removal
                }
                garbage.add(Descriptor.of("application/octet-stream", digest, size));
            }
        }
        garbage.sort(Comparator.comparing(Descriptor::digest));
        return garbage;
    }

    /** Deletes unreferenced blobs (only {@code among} them, when given). Call with the store held exclusively. */
    SweepResult sweep(Set<Digest> live, Set<Digest> among) {
        List<Descriptor> removed = new ArrayList<>();
        long bytes = 0;
        for (Descriptor d : among == null ? unmarked(live) : unmarked(live, among)) {
            try {
                blobs.remove(d.digest());
                content.forget(d.digest());
                removed.add(d);
                bytes += d.size();
            } catch (IOException e) {
                throw IoProblem.storage("delete blob " + d.digest(), e);
            }
        }
        if (!removed.isEmpty()) {
            blobs.syncRemovals();
        }
        return new SweepResult(removed, bytes);
    }
}
