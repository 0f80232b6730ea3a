package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.LoadResult;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.engine.VerifyReport;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store's central promise as a property: over random (seeded, reproducible) sequences of
 * pulls-as-adds, loads, tags, untags, deletes, prunes and garbage collections, after every step
 * every blob that any manifest or index in the store references exists and verifies, and the
 * names point where a simple model of Docker's rules says. A failure names the seed and step.
 */
class StorePropertyTest {

    private static final int STEPS = 160;
    private static final List<String> NAMES = List.of(
            "example.com/a:1", "example.com/a:2", "example.com/a:latest",
            "example.com/b:1", "example.com/b:latest", "registry.test:5000/team/c:1", "example.com/d:x");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 42})
    void everyReferencedBlobExistsAndVerifiesAfterEveryStep(long seed) throws Exception {
        Random random = new Random(seed);
        // a pool of images built from a few layers, so families share layers
        List<StoreFixtures.Image> pool = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int depth = 1 + random.nextInt(3);
            long[] seeds = new long[depth];
            for (int j = 0; j < depth; j++) {
                seeds[j] = random.nextInt(5);
            }
            pool.add(StoreFixtures.image("img" + i, seeds));
        }
        Map<String, Digest> model = new TreeMap<>();
        Set<Digest> present = new HashSet<>();
        List<String> log = new ArrayList<>();
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store-" + seed))) {
            for (int step = 0; step < STEPS; step++) {
                String did = step(store, random, pool, model, present);
                log.add(step + ": " + did);
                String context = "seed " + seed + ", after\n" + String.join("\n", log.subList(Math.max(0, log.size() - 8), log.size()));
                VerifyReport report = store.verify();
                assertThat(report.problems()).as(context).isEmpty();
                Map<String, Digest> actual = new TreeMap<>();
                for (ImageSummary image : store.listImages()) {
                    image.repoTags().forEach(t -> actual.put(t, image.id()));
                }
                assertThat(actual).as(context).isEqualTo(model);
                Set<Digest> ids = store.listImages().stream().map(ImageSummary::id).collect(Collectors.toSet());
                assertThat(ids).as(context).containsAll(model.values());
                assertThat(ids).as(context).isEqualTo(present);
            }
        }
    }

    private String step(OciLayoutStore store, Random random, List<StoreFixtures.Image> pool,
                        Map<String, Digest> model, Set<Digest> present) throws Exception {
        int op = random.nextInt(100);
        if (op < 30) {
            StoreFixtures.Image image = pool.get(random.nextInt(pool.size()));
            List<String> names = new ArrayList<>();
            int count = random.nextInt(3);
            for (int i = 0; i < count; i++) {
                names.add(NAMES.get(random.nextInt(NAMES.size())));
            }
            StoreFixtures.store(store, image, names.toArray(String[]::new));
            moveNames(model, present, names, image.id());
            present.add(image.id());
            return "add " + image.id().shortHex() + " as " + names;
        }
        if (op < 38 && !present.isEmpty()) {
            // export some images and load them back (a docker save round trip)
            List<String> ids = present.stream().map(Digest::toString).sorted().toList();
            String id = ids.get(random.nextInt(ids.size()));
            String newName = NAMES.get(random.nextInt(NAMES.size()));
            store.tag(ImageKey.parse(id), ImageReference.parse(newName));
            moveNames(model, present, List.of(newName), Digest.of(id));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ArchiveFormat format = random.nextBoolean() ? ArchiveFormat.DOCKER : ArchiveFormat.OCI;
            store.save(keys(newName), format, out);
            Path file = Files.write(dir.resolve("roundtrip.tar"), out.toByteArray());
            LoadResult loaded = store.load(file);
            // a docker-save round trip of a gzip image stores a second manifest for the same config
            for (LoadResult.Loaded l : loaded.images()) {
                present.add(l.id());
            }
            return "save " + newName + " as " + format + " and load it back";
        }
        if (op < 55 && !present.isEmpty()) {
            List<String> ids = present.stream().map(Digest::toString).sorted().toList();
            String source = random.nextBoolean() && !model.isEmpty()
                    ? List.copyOf(model.keySet()).get(random.nextInt(model.size()))
                    : ids.get(random.nextInt(ids.size()));
            Digest id = model.containsKey(source) ? model.get(source) : Digest.of(source);
            String target = NAMES.get(random.nextInt(NAMES.size()));
            store.tag(ImageKey.parse(source), ImageReference.parse(target));
            moveNames(model, present, List.of(target), id);
            return "tag " + source + " " + target;
        }
        if (op < 75 && !present.isEmpty()) {
            boolean force = random.nextBoolean();
            if (random.nextBoolean() && !model.isEmpty()) {
                String name = List.copyOf(model.keySet()).get(random.nextInt(model.size()));
                Digest id = model.remove(name);
                DeleteResult result = store.delete(ImageKey.parse(name), force);
                assertThat(result.untagged()).contains(name);
                if (!model.containsValue(id)) {
                    present.remove(id);
                    assertThat(result.imageDeleted()).isTrue();
                }
                return "rmi " + name + (force ? " -f" : "");
            }
            List<Digest> ids = present.stream().sorted().toList();
            Digest id = ids.get(random.nextInt(ids.size()));
            long tags = model.values().stream().filter(id::equals).count();
            DeleteResult result = store.delete(ImageKey.parse(id.hex().substring(0, 16)), force);
            // as docker rmi <id>: an image with several tags (in one repository or more) needs force
            if (tags > 1 && !force) {
                assertThat(result.refused()).isTrue();
                return "rmi " + id.shortHex() + " (refused)";
            }
            assertThat(result.imageDeleted()).isTrue();
            model.values().removeIf(id::equals);
            present.remove(id);
            return "rmi " + id.shortHex() + (force ? " -f" : "");
        }
        if (op < 85) {
            PruneMode mode = random.nextInt(4) == 0 ? PruneMode.ALL_UNUSED : PruneMode.DANGLING;
            PruneResult plan = store.prune(mode, true);
            PruneResult done = store.prune(mode, false);
            assertThat(done.spaceReclaimed()).isEqualTo(plan.spaceReclaimed());
            assertThat(done.imagesDeleted()).isEqualTo(plan.imagesDeleted());
            if (mode == PruneMode.ALL_UNUSED) {
                model.clear();
                present.clear();
            } else {
                present.removeIf(id -> !model.containsValue(id));
            }
            return "prune " + mode + " (" + done.spaceReclaimed() + " bytes)";
        }
        if (op < 93) {
            GcReport plan = store.gc(true);
            GcReport done = store.gc(false);
            assertThat(done.reclaimedBytes()).isEqualTo(plan.reclaimedBytes());
            return "gc (" + done.blobs().size() + " blobs)";
        }
        byte[] stray = new byte[random.nextInt(500) + 1];
        random.nextBytes(stray);
        store.writeBlob("application/octet-stream", stray);
        return "stray blob";
    }

    /** Names move to {@code id}; an image that loses its last name stays (dangling). */
    private static void moveNames(Map<String, Digest> model, Set<Digest> present, List<String> names, Digest id) {
        Map<String, Digest> before = new HashMap<>(model);
        for (String name : names) {
            model.put(name, id);
        }
        before.values().forEach(present::add);
    }

    private static java.util.List<ImageKey> keys(String... names) {
        return java.util.Arrays.stream(names).map(ImageKey::parse).toList();
    }
}
