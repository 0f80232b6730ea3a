package io.gantry.store;

import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.PruneMode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A child process for {@link StoreCrashTest}: works on a store until it is killed or done.
 * <ul>
 *   <li>{@code churn DIR SEED}: adds images with big layers, tags, deletes, prunes, collects
 *       garbage, writes and resumes blobs, loads archives, forever; prints one line per step.</li>
 *   <li>{@code tags DIR PREFIX COUNT}: adds COUNT tags named PREFIX-i to one image, each its own
 *       index update, to race another process doing the same.</li>
 *   <li>{@code pull DIR REFERENCE}: pulls with one download at a time, printing each event.</li>
 * </ul>
 */
public final class StoreTortureMain {

    private StoreTortureMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "churn" -> churn(dir, Long.parseLong(args[2]));
            case "tags" -> tags(dir, args[2], Integer.parseInt(args[3]));
            case "pull" -> pull(dir, args[2]);
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0); // OkHttp's dispatcher threads are not daemons and would idle on for a minute
    }

    private static void pull(Path dir, String reference) {
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool();
        try (OciLayoutStore store = OciLayoutStore.open(dir, StoreOptions.defaults().withPulls(
                new StorePulls(io.gantry.registry.RegistryClient.builder().build(), executor, 1)))) {
            store.pull(io.gantry.engine.PullRequest.of(reference), e -> {
                System.out.println(java.time.Instant.now() + " " + e.layer() + " " + e.phase() + " " + e.current());
                System.out.flush();
            }, io.gantry.core.Cancellation.none());
        } finally {
            executor.shutdownNow();
        }
        System.out.println("done");
    }

    private static void tags(Path dir, String prefix, int count) {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            for (int i = 0; i < count; i++) {
                store.tag(ImageKey.parse("example.com/base:1"), ImageReference.parse("example.com/" + prefix + ":" + i));
            }
        }
        System.out.println("done");
    }

    private static void churn(Path dir, long seed) throws Exception {
        Random random = new Random(seed);
        List<StoreFixtures.Image> pool = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pool.add(StoreFixtures.image("churn" + i, random.nextInt(4), 10 + random.nextInt(4)));
        }
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            for (long step = 0; ; step++) {
                int op = random.nextInt(10);
                String tag = "example.com/churn:" + random.nextInt(5);
                switch (op) {
                    case 0, 1 -> StoreFixtures.store(store, pool.get(random.nextInt(pool.size())), tag);
                    case 2 -> {
                        byte[] big = new byte[(2 + random.nextInt(6)) * 1024 * 1024];
                        random.nextBytes(big);
                        Digest digest = Digest.sha256(big);
                        try (BlobWrite write = store.beginBlob(digest, big.length)) {
                            int from = (int) write.offset();
                            for (int at = from; at < big.length; at += 64 * 1024) {
                                write.output().write(big, at, Math.min(64 * 1024, big.length - at));
                            }
                            write.commit();
                        }
                    }
                    case 3 -> {
                        if (!store.images().isEmpty()) {
                            store.tag(ImageKey.parse(store.images().get(0).id().toString()), ImageReference.parse(tag));
                        }
                    }
                    case 4 -> {
                        try {
                            store.delete(ImageKey.parse(tag), true);
                        } catch (io.gantry.core.GantryException e) {
                            // not there
                        }
                    }
                    case 5 -> store.prune(random.nextBoolean() ? PruneMode.DANGLING : PruneMode.ALL_UNUSED, false);
                    case 6 -> store.gc(false);
                    case 7 -> {
                        if (!store.images().isEmpty()) {
                            ByteArrayOutputStream out = new ByteArrayOutputStream();
                            String name = store.images().get(0).id().toString();
                            store.save(keys(name), random.nextBoolean() ? ArchiveFormat.DOCKER : ArchiveFormat.OCI, out);
                            Path file = Files.write(Files.createTempFile("churn", ".tar"), out.toByteArray());
                            store.load(file);
                            Files.delete(file);
                        }
                    }
                    default -> store.listImages();
                }
                System.out.println("step " + step + " op " + op);
                System.out.flush();
            }
        }
    }

    private static java.util.List<ImageKey> keys(String... names) {
        return java.util.Arrays.stream(names).map(ImageKey::parse).toList();
    }
}
