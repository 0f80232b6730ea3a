package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.store.LayoutImage;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real embedded store, over random (seeded) images, tags, digest references, deletes by
 * name and by ID, forced or not, and prunes of both kinds: the preview a user confirms equals the
 * result, line for line and byte for byte. Each image is named once in the {@code Deleted:} lines,
 * and every freed layer the lines name is gone from disk with the bytes the preview counted.
 *
 * <p>The seeds are {@link #SEEDS}, plus the one in {@code -Dgantry.seed=N} when given (a failure
 * names its seed and step, so it can be replayed). The embedded store has no containers and no
 * parent links; those rules are checked against a real dockerd by the engine's tests.
 */
class EmbeddedPreviewPropertyTest {

    private static final long[] SEEDS = {1, 2, 3, 7, 11, 42, 2024, 31337};
    private static final int STEPS = 60;
    private static final List<String> NAMES = List.of(
            "example.com/a:1", "example.com/a:2", "example.com/a:latest",
            "example.com/b:1", "registry.test:5000/team/c:1", "example.com/d:x");

    @TempDir
    Path dir;

    private final ImageCleanup cleanup = new ImageCleanup();

    @Test
    void previewEqualsResultOnTheEmbeddedStore() throws Exception {
        List<Long> seeds = new ArrayList<>();
        for (long seed : SEEDS) {
            seeds.add(seed);
        }
        String extra = System.getProperty("gantry.seed", "");
        if (!extra.isBlank()) {
            seeds.add(Long.parseLong(extra.trim()));
        }
        int cases = 0;
        for (long seed : seeds) {
            cases += run(seed);
        }
        // every seed ran its steps and the steps compared something
        assertThat(cases).isGreaterThan(seeds.size() * STEPS / 4);
    }

    /** One seed's sequence; returns how many previews were compared with results. */
    private int run(long seed) throws Exception {
        Random random = new Random(seed);
        List<StoreFixtures.Image> pool = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            int depth = 1 + random.nextInt(3);
            long[] layers = new long[depth];
            for (int j = 0; j < depth; j++) {
                layers[j] = random.nextInt(5);
            }
            pool.add(StoreFixtures.image("img" + i, layers));
        }
        int compared = 0;
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store-" + seed))) {
            for (int step = 0; step < STEPS; step++) {
                String context = "seed " + seed + ", step " + step;
                int op = random.nextInt(100);
                if (op < 40) {
                    StoreFixtures.Image image = pool.get(random.nextInt(pool.size()));
                    List<String> names = new ArrayList<>();
                    for (int i = random.nextInt(3); i > 0; i--) {
                        names.add(NAMES.get(random.nextInt(NAMES.size())));
                    }
                    if (random.nextInt(4) == 0) {
                        String repository = NAMES.get(random.nextInt(NAMES.size())).replaceAll(":[^:/]*$", "");
                        names.add(repository + "@" + image.manifestDescriptor().digest());
                    }
                    StoreFixtures.store(store, image, names.toArray(String[]::new));
                } else if (op < 50 && !store.images().isEmpty()) {
                    List<LayoutImage> images = store.images();
                    LayoutImage image = images.get(random.nextInt(images.size()));
                    store.tag(ImageKey.of(image.id()), ImageReference.parse(NAMES.get(random.nextInt(NAMES.size()))));
                } else if (op < 88 && !store.images().isEmpty()) {
                    compared += delete(store, random, context);
                } else {
                    compared += prune(store, random.nextBoolean() ? PruneMode.DANGLING : PruneMode.ALL_UNUSED, context);
                }
                assertThat(store.verify().problems()).as(context).isEmpty();
            }
        }
        return compared;
    }

    private int delete(OciLayoutStore store, Random random, String context) {
        List<LayoutImage> images = store.images();
        LayoutImage image = images.get(random.nextInt(images.size()));
        String target = image.names().isEmpty() || random.nextInt(3) == 0 ? image.id().toString()
                : image.names().get(random.nextInt(image.names().size())).display();
        boolean force = random.nextBoolean();
        context += ": rmi " + (force ? "-f " : "") + target;
        ImageCleanup.DeletePreview preview = cleanup.previewDelete(store, List.of(DeleteTarget.parse(target)));
        List<String> planned = preview.plan(force).records().stream().map(DeleteLine::toString).toList();
        Map<String, Long> layerSizes = layerSizes(store, planned, preview.plan(force).deletedImages());
        ImageCleanup.DeleteRun run = cleanup.delete(store, preview, force);
        assertThat(run.changed()).as(context).isFalse();
        assertThat(run.unexpected()).as(context).isEmpty();
        List<String> lines = run.lines().stream().map(DeleteLine::toString).toList();
        assertThat(lines).as(context).isEqualTo(planned);
        if (!preview.plan(force).clean()) {
            assertThat(run.results()).as(context).isEmpty();
        }
        for (DeleteResult result : run.results()) {
            assertThat(result.refused()).as(context).isFalse();
        }
        checkDeleted(store, lines, layerSizes, preview.plan(force).bytesFreed(), context);
        return 1;
    }

    private int prune(OciLayoutStore store, PruneMode mode, String context) {
        context += ": prune " + mode;
        PruneResult preview = cleanup.previewPrune(store, mode);
        List<String> planned = preview.lines().stream().map(DeleteLine::toString).toList();
        Map<String, Long> layerSizes = layerSizes(store, planned, preview.imagesDeleted());
        ImageCleanup.PruneRun run = cleanup.prune(store, preview);
        assertThat(run.changed()).as(context).isFalse();
        PruneResult result = run.result().orElseThrow();
        assertThat(result.lines().stream().map(DeleteLine::toString).toList()).as(context).isEqualTo(planned);
        assertThat(result.spaceReclaimed()).as(context).isEqualTo(preview.spaceReclaimed());
        assertThat(result.imagesDeleted()).as(context).isEqualTo(preview.imagesDeleted());
        checkDeleted(store, planned, layerSizes, preview.spaceReclaimed(), context);
        assertThat(store.listImages()).as(context).allSatisfy(i -> assertThat(preview.imagesDeleted()).doesNotContain(i.id()));
        if (mode == PruneMode.ALL_UNUSED) {
            assertThat(store.images()).as(context).isEmpty();
        } else {
            assertThat(store.images()).as(context).allSatisfy(i -> assertThat(i.repoTags()).isNotEmpty());
        }
        return 1;
    }

    /** Sizes on disk, now, of the layer blobs the lines will name as deleted. */
    private static Map<String, Long> layerSizes(OciLayoutStore store, List<String> lines, List<Digest> images) {
        Set<String> ids = new HashSet<>();
        images.forEach(id -> ids.add("Deleted: " + id));
        Map<String, Long> sizes = new HashMap<>();
        for (String line : lines) {
            if (line.startsWith("Deleted: ") && !ids.contains(line)) {
                Digest blob = Digest.of(line.substring("Deleted: ".length()));
                sizes.put(blob.toString(), store.blobSize(blob));
            }
        }
        return sizes;
    }

    /** Each image once among the lines; every freed layer gone, and their sizes add up to the bytes previewed. */
    private static void checkDeleted(OciLayoutStore store, List<String> lines, Map<String, Long> layerSizes, long bytes,
                                     String context) {
        assertThat(lines).as(context).doesNotHaveDuplicates();
        long freed = 0;
        for (Map.Entry<String, Long> layer : layerSizes.entrySet()) {
            assertThat(store.hasBlob(Digest.of(layer.getKey()))).as(context + ": " + layer.getKey() + " freed").isFalse();
            freed += layer.getValue();
        }
        assertThat(freed).as(context + ": bytes freed").isEqualTo(bytes);
        Set<String> live = new HashSet<>();
        store.images().forEach(i -> live.add("Deleted: " + i.id()));
        assertThat(lines).as(context).noneMatch(live::contains);
    }
}
