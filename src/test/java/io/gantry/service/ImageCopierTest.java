package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.ImageStore;
import io.gantry.engine.containerd.ContainerdStore;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.registry.RegistryClient;
import io.gantry.service.ImageCopier.CopyResult;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import io.gantry.store.StoreOptions;
import io.gantry.store.StorePulls;
import io.gantry.testing.ContainerdExtension;
import io.gantry.testing.ContainerdPeer;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.EnginePeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.PodmanPeer;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies between endpoints against the real peers: the embedded store into the private dockerd
 * and back, into Podman, into containerd's {@code k8s.io} namespace, from a containerd namespace into
 * the embedded store and dockerd, and from the harness registry;
 * the image ID (config digest) the same on every side, a second copy storing nothing new, and a
 * cancelled copy leaving the destination as it was.
 */
@Tag("peer")
@ExtendWith({DockerdExtension.class, ContainerdExtension.class, RegistryExtension.class})
class ImageCopierTest {

    private final FixtureImages images = new FixtureImages();
    private final ImageCopier copier = new ImageCopier();
    private final ExecutorService executor = Executors.newFixedThreadPool(3);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private OciLayoutStore embedded(String name) {
        return OciLayoutStore.open(dir.resolve(name), new StoreOptions(Clock.systemUTC(), Duration.ofSeconds(30),
                Platform.parse("linux/amd64")).withPulls(new StorePulls(RegistryClient.builder().build(), executor, 3)));
    }

    private static DockerEngineStore engine(EnginePeer peer) {
        return DockerEngineStore.of(new EngineAddress("test engine", peer.host(), EngineAddress.Source.DOCKER_HOST,
                false, Optional.empty(), true), EngineCredentials.anonymous());
    }

    private FixtureImage twoLayers(String repo) {
        return images.image(repo).layer("ADD base", l -> l.file("etc/os-release", "ID=fixture\n"))
                .layer("ADD app", l -> l.file("app/main", "v" + System.nanoTime())).oci();
    }

    @Test
    void embeddedToDockerdAndBackKeepsTheImageIdAndASecondCopyStoresNothingNew(DockerdPeer dockerd) {
        String ref = "example.com/" + FixtureImages.unique("cp-docker") + ":1";
        FixtureImage image = twoLayers(ref.substring(12, ref.length() - 2));
        try (OciLayoutStore source = embedded("src"); OciLayoutStore back = embedded("back");
             DockerEngineStore docker = engine(dockerd)) {
            StoreFixtures.store(source, image, ref);
            CopyResult there = copier.copy(source, ImageKey.parse(ref), docker, Optional.empty(), p -> { },
                    Cancellation.none());
            assertThat(there.imageId()).isEqualTo(Digest.of(image.imageId()));
            assertThat(there.streamed()).isPositive();
            assertThat(dockerd.imageId(ref)).as("docker image inspect on the test dockerd").isEqualTo(image.imageId());

            java.util.List<io.gantry.engine.PullProgress> rows = new java.util.ArrayList<>();
            CopyResult home = copier.copy(docker, ImageKey.parse(ref), back, Optional.of(ImageReference.parse(ref + "-back")),
                    p -> p.layer().ifPresent(rows::add), Cancellation.none());
            // dockerd's archive (legacy <v1 id>/layer.tar, or blobs/sha256/<diff ID> from Docker 25) passes each
            // layer's entry: every row is seen streaming, then copied
            for (io.gantry.engine.ImageLayer layer : docker.layers(ImageKey.parse(ref))) {
                String id = layer.blob().orElse(layer.diffId()).shortHex();
                assertThat(rows).filteredOn(r -> r.layer().equals(id)).extracting(io.gantry.engine.PullProgress::text)
                        .as(id).startsWith("Waiting", "Copying").endsWith("Copied");
            }
            assertThat(home.imageId()).isEqualTo(Digest.of(image.imageId()));
            assertThat(back.inspect(ImageKey.parse(ref + "-back")).id()).isEqualTo(Digest.of(image.imageId()));
            assertThat(home.written().orElseThrow()).isPositive();

            CopyResult again = copier.copy(docker, ImageKey.parse(ref), back, Optional.empty(), p -> { },
                    Cancellation.none());
            assertThat(again.written()).as("every blob was there already").hasValue(0L);
            assertThat(back.verify().ok()).isTrue();
        }
    }

    @Test
    void embeddedToPodmanKeepsTheImageId() {
        String ref = "example.com/" + FixtureImages.unique("cp-podman") + ":1";
        FixtureImage image = twoLayers("x");
        try (PodmanPeer podman = PodmanPeer.start(); OciLayoutStore source = embedded("src");
             DockerEngineStore engine = engine(podman)) {
            StoreFixtures.store(source, image, ref);
            CopyResult result = copier.copy(source, ImageKey.parse(ref), engine, Optional.empty(), p -> { },
                    Cancellation.none());
            assertThat(result.imageId()).isEqualTo(Digest.of(image.imageId()));
            assertThat(podman.imageId(ref)).isEqualTo(image.imageId());
        }
    }

    @Test
    void embeddedIntoContainerdK8sNamespaceSkipsWhatItHasAndACancelChangesNothing(ContainerdPeer containerd) {
        String ref = "example.com/" + FixtureImages.unique("cp-ctr") + ":1";
        FixtureImage image = twoLayers("x");
        String big = "example.com/" + FixtureImages.unique("cp-big") + ":1";
        FixtureImage large = images.image("y").layer("ADD base", l -> l.file("etc/os-release", "ID=fixture\n"))
                .bigLayer(6_000_000, 11);
        try (OciLayoutStore source = embedded("src");
             ContainerdStore root = ContainerdStore.open("containerd", containerd.socket(), "default");
             ImageStore k8s = root.inNamespace("k8s.io")) {
            StoreFixtures.store(source, image, ref);
            StoreFixtures.store(source, large, big);
            CopyResult first = copier.copy(source, ImageKey.parse(ref), k8s, Optional.empty(), p -> { },
                    Cancellation.none());
            assertThat(first.imageId()).isEqualTo(Digest.of(image.imageId()));
            assertThat(first.written().orElseThrow()).isPositive();
            assertThat(containerd.ctrOk("k8s.io", "images", "ls", "-q").lines()).contains(ref);
            assertThat(containerd.ctrOk("k8s.io", "images", "ls").lines().stream().filter(l -> l.startsWith(ref + " ")))
                    .singleElement().asString().contains(image.manifestDigest());
            assertThat(k8s.inspect(ImageKey.parse(ref)).id()).as("the config digest, as on the source")
                    .isEqualTo(Digest.of(image.imageId()));

            CopyResult second = copier.copy(source, ImageKey.parse(ref), k8s, Optional.empty(), p -> { },
                    Cancellation.none());
            assertThat(second.written()).as("no blob written again").hasValue(0L);

            String before = containerd.ctrOk("k8s.io", "images", "ls", "-q").out();
            Cancellation cancel = new Cancellation();
            assertThatThrownBy(() -> copier.copy(source, ImageKey.parse(big), k8s, Optional.empty(), p -> {
                if (p.bytes() > 0) {
                    cancel.cancel();
                }
            }, cancel)).isInstanceOfSatisfying(GantryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
            assertThat(containerd.ctrOk("k8s.io", "images", "ls", "-q").out()).isEqualTo(before);
            assertThat(k8s.listImages()).noneMatch(i -> i.repoTags().contains(big));
        }
    }

    @Test
    void containerdNamespaceToEmbeddedAndDockerdKeepsTheImageId(ContainerdPeer containerd, DockerdPeer dockerd,
                                                                RegistryPeer registry) {
        String namespace = FixtureImages.unique("cp-src");
        FixtureImage image = twoLayers(FixtureImages.unique("cp-from-ctr"));
        registry.pusher().push(image);
        String ref = containerd.pull(namespace, image.reference(registry.hostPort()));
        Digest id = Digest.of(image.imageId());
        try (ContainerdStore source = ContainerdStore.open("containerd", containerd.socket(), namespace);
             OciLayoutStore embedded = embedded("from-ctr"); DockerEngineStore docker = engine(dockerd)) {
            CopyResult intoEmbedded = copier.copy(source, ImageKey.parse(ref), embedded, Optional.empty(), p -> { },
                    Cancellation.none());
            assertThat(intoEmbedded.imageId()).isEqualTo(id);
            assertThat(intoEmbedded.names()).contains(ImageReference.parse(ref).familiar());
            assertThat(embedded.inspect(ImageKey.parse(ref)).id()).as("the embedded store names it as containerd did")
                    .isEqualTo(id);
            assertThat(embedded.verify().ok()).isTrue();

            CopyResult intoDocker = copier.copy(source, ImageKey.parse(ref), docker, Optional.empty(), p -> { },
                    Cancellation.none());
            assertThat(intoDocker.imageId()).isEqualTo(id);
            assertThat(intoDocker.streamed()).isPositive();
            assertThat(dockerd.imageId(ref)).as("docker image inspect on the test dockerd").isEqualTo(image.imageId());
            assertThat(source.inspect(ImageKey.parse(ref)).id()).as("containerd's side").isEqualTo(id);
        }
    }

    /**
     * The harness's dockerd is Debian's 20.10: its {@code docker save} stream has no OCI layout
     * (checked first), which containerd's own loader would not take; Gantry converts it as
     * {@code ctr images import} does. {@code ctr} then sees the image complete, with the same image
     * ID, and unpacks it (a container created from it with the native snapshotter holds the file of
     * its top layer). A docker save archive file with gzipped layers loads the same way.
     */
    @Test
    void aDocker2010SaveStreamIsConvertedIntoContainerdWhichUnpacksIt(DockerdPeer dockerd, ContainerdPeer containerd,
                                                                       @TempDir Path files) throws Exception {
        String namespace = FixtureImages.unique("cp-2010");
        String ref = "example.com/" + FixtureImages.unique("cp-2010") + ":1";
        String marker = "made by " + FixtureImages.unique("marker");
        FixtureImage image = images.image("x").layer("ADD base", l -> l.file("etc/os-release", "ID=fixture\n"))
                .layer("ADD app", l -> l.file("app/marker", marker));
        String container = FixtureImages.unique("unpacked");
        try (OciLayoutStore source = embedded("src"); DockerEngineStore docker = engine(dockerd);
             ContainerdStore ctr = ContainerdStore.open("containerd", containerd.socket(), namespace)) {
            StoreFixtures.store(source, image, ref);
            copier.copy(source, ImageKey.parse(ref), docker, Optional.empty(), p -> { }, Cancellation.none());
            assertThat(archiveEntries(docker.export(ImageKey.parse(ref)))).as("docker save of dockerd 20.10")
                    .contains("manifest.json").doesNotContain("index.json", "oci-layout");

            CopyResult copied = copier.copy(docker, ImageKey.parse(ref), ctr, Optional.empty(), p -> { },
                    Cancellation.none());
            assertThat(copied.imageId()).isEqualTo(Digest.of(image.imageId()));
            assertThat(ctr.inspect(ImageKey.parse(ref)).id()).isEqualTo(Digest.of(image.imageId()));
            assertThat(containerd.ctrOk(namespace, "images", "ls", "-q").lines()).contains(ref);
            assertThat(containerd.ctrOk(namespace, "images", "check").lines().stream().filter(l -> l.startsWith(ref + " ")))
                    .singleElement().asString().contains("complete");

            containerd.ctrOk(namespace, "containers", "create", "--snapshotter", "native", ref, container);
            try (var walk = java.nio.file.Files.walk(containerd.root().resolve("io.containerd.snapshotter.v1.native"))) {
                assertThat(walk.filter(f -> f.endsWith(Path.of("app", "marker"))).map(ImageCopierTest::text))
                        .as("the unpacked top layer").contains(marker);
            } finally {
                containerd.ctrOk(namespace, "containers", "rm", container);
            }

            String gzipRef = "example.com/" + FixtureImages.unique("gz") + ":1";
            FixtureImage other = images.image("y").layer("ADD z", l -> l.file("z", FixtureImages.unique("z")));
            Path archive = new io.gantry.testing.DockerArchive().add(other, gzipRef).gzipLayers()
                    .writeTo(files.resolve("gz.tar"));
            io.gantry.engine.LoadResult loaded = ctr.load(archive);
            assertThat(loaded.images()).singleElement().satisfies(l -> assertThat(l.id().toString())
                    .isEqualTo(other.imageId()));
            assertThat(containerd.ctrOk(namespace, "images", "check").lines().stream().filter(l -> l.startsWith(gzipRef + " ")))
                    .singleElement().asString().contains("complete");
        }
    }

    private static java.util.List<String> archiveEntries(java.io.InputStream stream) throws java.io.IOException {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(stream)) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    private static String text(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void registryIntoEmbeddedThroughItsPullAndMissingImagesAreRefused(RegistryPeer registry,
                                                                      ContainerdPeer containerd) {
        FixtureImage image = twoLayers(FixtureImages.unique("cp-reg"));
        registry.pusher().push(image);
        ImageReference ref = ImageReference.parse(image.reference(registry.hostPort()));
        try (OciLayoutStore dest = embedded("dest");
             ContainerdStore ctr = ContainerdStore.open("containerd", containerd.socket(), "default")) {
            CopyResult pulled = copier.pullInto(ref, dest, Optional.empty(), p -> { }, Cancellation.none());
            assertThat(pulled.imageId()).isEqualTo(Digest.of(image.imageId()));
            assertThat(dest.inspect(ImageKey.of(ref)).id()).isEqualTo(Digest.of(image.imageId()));

            assertThatThrownBy(() -> copier.copy(dest, ImageKey.parse("no-such:1"), ctr, Optional.empty(), p -> { },
                    Cancellation.none())).isInstanceOfSatisfying(GantryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
            assertThatThrownBy(() -> copier.copy(ctr, ImageKey.parse("no-such:1"), dest, Optional.empty(), p -> { },
                    Cancellation.none())).isInstanceOfSatisfying(GantryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        }
    }
}
