package io.gantry.bench;

import io.gantry.engine.EngineCredentials;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.testing.CommandResult;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Lists 1,000 images with 5,000 distinct layers through {@code ImageStore.listImages()} (sizes,
 * shared and unique sizes, container counts) and prints the time beside {@code docker image ls} and
 * {@code docker system df -v} on the same private dockerd. Not run by {@code mvn test}:
 *
 * <pre>{@code
 * ./mvnw -q -B -ntp test-compile
 * java -cp target/test-classes:target/classes:$(cat cp.txt) io.gantry.bench.EngineListBenchmark [runs]
 * }</pre>
 *
 * <p>The images: 200 families of 5. Each family shares a chain of 5 layers; each image adds 4 of
 * its own: 200 × 5 + 1,000 × 4 = 5,000 layers, 9 per image. 50 of the images are loaded without a
 * tag (dangling) and 20 are used by stopped containers. Layers hold one tiny file each, since vfs
 * copies the whole tree for every layer. The CLI times include starting the {@code docker}
 * process, as a user running it would see; Gantry's are in-process calls on one warm store.
 */
public final class EngineListBenchmark {

    static final int FAMILIES = 200;
    static final int PER_FAMILY = 5;
    static final int SHARED_LAYERS = 5;
    static final int OWN_LAYERS = 4;
    static final int DANGLING_EVERY = 20;
    static final int CONTAINER_EVERY = 50;
    static final int LOAD_BATCH = 100;

    private EngineListBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        try (DockerdPeer dockerd = DockerdPeer.start()) {
            System.out.printf("dockerd %s at %s%n", dockerd.version(), dockerd.host());
            List<FixtureImage> all = fixtures();
            long loadStart = System.nanoTime();
            load(dockerd, all);
            System.out.printf("loaded %d images in %.1f s%n", all.size(), seconds(System.nanoTime() - loadStart));
            for (int i = 0; i < all.size(); i += CONTAINER_EVERY) {
                if (i % DANGLING_EVERY != DANGLING_EVERY - 1) {
                    dockerd.createContainer(all.get(i).reference(), "/nothing");
                }
            }

            EngineAddress address = new EngineAddress("bench", dockerd.host(), EngineAddress.Source.DOCKER_HOST,
                    false, Optional.empty(), true);
            try (DockerEngineStore store = DockerEngineStore.of(address, EngineCredentials.anonymous())) {
                long coldStart = System.nanoTime();
                List<ImageSummary> first = store.listImages();
                double cold = millis(System.nanoTime() - coldStart);
                long layersShared = first.stream().filter(i -> i.sharedSize() > 0).count();
                System.out.printf("listImages: %d images (%d dangling, %d with shared layers, %d in use); "
                                + "first call on a new store %.1f ms%n", first.size(),
                        first.stream().filter(ImageSummary::dangling).count(), layersShared,
                        first.stream().filter(i -> i.containers() > 0).count(), cold);

                for (int i = 0; i < 2; i++) {
                    store.listImages(); // warm up the JIT and the connection pool
                    dockerd.dockerOk("image", "ls");
                    dockerd.dockerOk("system", "df", "-v");
                }
                List<Double> gantry = new ArrayList<>();
                List<Double> imageLs = new ArrayList<>();
                List<Double> systemDf = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    gantry.add(time(store::listImages));
                    imageLs.add(time(() -> dockerd.dockerOk("image", "ls")));
                    systemDf.add(time(() -> dockerd.dockerOk("system", "df", "-v")));
                }
                double g = median(gantry);
                double ls = median(imageLs);
                double df = median(systemDf);
                System.out.printf("%n%-40s %10s %10s %10s%n", "median of " + runs + " runs (ms)", "median", "min", "max");
                print("Gantry ImageStore.listImages()", gantry);
                print("docker image ls", imageLs);
                print("docker system df -v", systemDf);
                System.out.printf("%nratio Gantry / docker image ls:     %.2f%n", g / ls);
                System.out.printf("ratio Gantry / docker system df -v: %.2f%n", g / df);
            }
        }
    }

    /** The images, deterministic: family f shares layers f.0..f.4; image f.i adds f.i.0..f.i.3. */
    static List<FixtureImage> fixtures() {
        FixtureImages images = new FixtureImages();
        List<FixtureImage> all = new ArrayList<>();
        for (int f = 0; f < FAMILIES; f++) {
            FixtureImage family = images.image("bench-f" + f);
            for (int l = 0; l < SHARED_LAYERS; l++) {
                String text = "family " + f + " layer " + l + "\n";
                int layer = l;
                family = family.layer("ADD family layer " + l, b -> b.file("f/" + layer, text));
            }
            for (int i = 0; i < PER_FAMILY; i++) {
                FixtureImage image = family.child("bench-f" + f + "-i" + i).tag("v1");
                for (int l = 0; l < OWN_LAYERS; l++) {
                    String text = "family " + f + " image " + i + " layer " + l + "\n";
                    int layer = l;
                    image = image.layer("ADD own layer " + l, b -> b.file("o/" + layer, text));
                }
                all.add(image);
            }
        }
        return all;
    }

    private static void load(DockerdPeer dockerd, List<FixtureImage> all) {
        Set<String> layers = new HashSet<>();
        for (int start = 0; start < all.size(); start += LOAD_BATCH) {
            DockerArchive archive = new DockerArchive();
            for (int i = start; i < Math.min(all.size(), start + LOAD_BATCH); i++) {
                FixtureImage image = all.get(i);
                image.diffIds().forEach(layers::add);
                if (i % DANGLING_EVERY == DANGLING_EVERY - 1) {
                    archive.add(image);
                } else {
                    archive.add(image, image.reference());
                }
            }
            CommandResult result = dockerd.load(archive);
            if (!result.succeeded()) {
                throw new IllegalStateException(result.describe());
            }
            System.out.printf("  loaded %d of %d images%n", Math.min(all.size(), start + LOAD_BATCH), all.size());
        }
        System.out.printf("%d distinct layers%n", layers.size());
    }

    private static double time(Supplier<?> action) {
        long start = System.nanoTime();
        action.get();
        return millis(System.nanoTime() - start);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void print(String label, List<Double> values) {
        System.out.printf(Locale.ROOT, "%-40s %10.1f %10.1f %10.1f%n", label, median(values),
                values.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                values.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
