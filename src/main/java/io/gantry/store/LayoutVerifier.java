package io.gantry.store;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.GantryException;
import io.gantry.core.ImageIndex;
import io.gantry.core.IoProblem;
import io.gantry.core.Manifest;
import io.gantry.core.ManifestContent;
import io.gantry.core.MediaTypes;
import io.gantry.engine.VerifyReport;
import io.gantry.registry.ManifestCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the layout like {@code git fsck} (go-containerregistry's {@code validate}, for a layout):
 * {@code oci-layout} and {@code index.json} parse, every blob reachable from {@code index.json}
 * exists with the size its references give and hashes to its digest, every manifest, index and
 * config parses. Reports, never repairs.
 */
final class LayoutVerifier {

    private final LayoutPaths paths;
    private final StoreLocks locks;
    private final LayoutIndex index;
    private final LayoutBlobs blobs;

    LayoutVerifier(LayoutPaths paths, StoreLocks locks, LayoutIndex index, LayoutBlobs blobs) {
        this.paths = paths;
        this.locks = locks;
        this.index = index;
        this.blobs = blobs;
    }

    /**
     * {@code oci-layout} and {@code index.json} parse, every blob reachable from {@code index.json}
     * exists with the size its references give and hashes to its digest, every manifest, index and
     * config parses; blobs nothing reaches are counted.
     */
    VerifyReport verify() {
        String op = "verify " + paths.root();
        List<VerifyReport.Problem> problems = new ArrayList<>();
        int checked = 0;
        long bytes = 0;
        try (StoreLocks.Held held = locks.shared(op)) {
            try {
                LayoutIndex.checkLayout(paths, op);
            } catch (GantryException | IOException e) {
                problems.add(new VerifyReport.Problem(VerifyReport.Kind.LAYOUT, Optional.empty(), e.getMessage(), "oci-layout"));
                return new VerifyReport(0, 0, problems, 0);
            }
            LayoutIndex.Doc doc;
            try {
                doc = index.read(op);
            } catch (GantryException e) {
                problems.add(new VerifyReport.Problem(VerifyReport.Kind.LAYOUT, Optional.empty(), e.getMessage(), "index.json"));
                return new VerifyReport(0, 0, problems, 0);
            }
            Map<Digest, Descriptor> reachable = new LinkedHashMap<>();
            Map<Digest, String> referrer = new HashMap<>();
            Deque<Descriptor> work = new ArrayDeque<>();
            Set<Digest> sparse = new HashSet<>();
            for (IndexEntry entry : doc.entries()) {
                String who = entry.name().map(ImageName::display).orElse("index.json");
                work.add(entry.descriptor());
                referrer.putIfAbsent(entry.descriptor().digest(), who);
                for (Descriptor kept : entry.provenance()) {
                    sparse.add(kept.digest()); // checked, but its other platforms are not expected to be stored
                    referrer.putIfAbsent(kept.digest(), who + " (as pulled)");
                    if (reachable.putIfAbsent(kept.digest(), kept) == null) {
                        work.add(kept);
                    }
                }
            }
            Set<Digest> done = new HashSet<>();
            while (!work.isEmpty()) {
                Descriptor d = work.poll();
                if (!done.add(d.digest())) {
                    continue;
                }
                reachable.putIfAbsent(d.digest(), d);
                String who = referrer.getOrDefault(d.digest(), "index.json");
                Optional<VerifyReport.Problem> problem = checkBlob(d, who);
                if (problem.isPresent()) {
                    problems.add(problem.get());
                    continue;
                }
                checked++;
                bytes += d.size();
                if (MediaTypes.isSupportedManifest(d.mediaType())) {
                    try {
                        ManifestContent content = ManifestCodec.parse(Files.readAllBytes(paths.blob(d.digest())),
                                Optional.of(d.mediaType()), "read manifest " + d.digest());
                        List<Descriptor> children = new ArrayList<>();
                        if (content instanceof Manifest m) {
                            children.add(m.config());
                            children.addAll(m.layers());
                            try {
                                ManifestCodec.requireSameLayers(m, ManifestCodec.parseConfig(Files.readAllBytes(
                                        paths.blob(m.config().digest())), "read config " + m.config().digest()),
                                        "check manifest " + d.digest());
                            } catch (GantryException e) {
                                problems.add(new VerifyReport.Problem(VerifyReport.Kind.MALFORMED, Optional.of(m.config().digest()),
                                        e.getMessage(), "manifest " + d.digest()));
                            } catch (IOException e) {
                                // reported as missing when its turn comes
                            }
                        } else if (content instanceof ImageIndex idx && !sparse.contains(d.digest())) {
                            children.addAll(idx.manifests());
                        }
                        for (Descriptor child : children) {
                            referrer.putIfAbsent(child.digest(), "manifest " + d.digest());
                            work.add(child);
                        }
                    } catch (GantryException e) {
                        problems.add(new VerifyReport.Problem(VerifyReport.Kind.MALFORMED, Optional.of(d.digest()), e.getMessage(), who));
                    } catch (IOException e) {
                        problems.add(new VerifyReport.Problem(VerifyReport.Kind.UNREADABLE, Optional.of(d.digest()), IoProblem.describe(e), who));
                    }
                }
            }
            int[] unreferenced = {0};
            blobs.forEach((digest, file) -> {
                if (!done.contains(digest)) {
                    unreferenced[0]++;
                }
            });
            return new VerifyReport(checked, bytes, problems, unreferenced[0]);
        }
    }

    private Optional<VerifyReport.Problem> checkBlob(Descriptor d, String who) {
        Path file = paths.blob(d.digest());
        if (!Files.isRegularFile(file)) {
            return Optional.of(new VerifyReport.Problem(VerifyReport.Kind.MISSING, Optional.of(d.digest()),
                    "blob is missing (" + d.mediaType() + ", " + d.size() + " bytes)", who));
        }
        try {
            long size = Files.size(file);
            if (size != d.size()) {
                return Optional.of(new VerifyReport.Problem(VerifyReport.Kind.SIZE_MISMATCH, Optional.of(d.digest()),
                        "blob has " + size + " bytes, expected " + d.size(), who));
            }
            Digest actual = LayoutBlobs.digestOf(file, d.digest().algorithm());
            if (!actual.equals(d.digest())) {
                return Optional.of(new VerifyReport.Problem(VerifyReport.Kind.DIGEST_MISMATCH, Optional.of(d.digest()),
                        "content hashes to " + actual, who));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new VerifyReport.Problem(VerifyReport.Kind.UNREADABLE, Optional.of(d.digest()), IoProblem.describe(e), who));
        }
    }
}
