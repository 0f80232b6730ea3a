package io.gantry.registry;

import static io.gantry.registry.TestSupport.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageConfig;
import io.gantry.core.ImageReference;
import io.gantry.core.Manifest;
import io.gantry.core.MediaTypes;
import io.gantry.core.Platform;
import io.gantry.core.Repository;
import io.gantry.testing.Blob;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.FixtureIndex;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real registry ({@code docker-registry}, started by the test harness),
 * anonymous: images are pushed by the harness's independent pusher (or by the client itself, for
 * the push tests) and read back through every read operation.
 */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class RegistryClientTest {

    private final FixtureImages images = new FixtureImages();
    private final RegistryClient client = RegistryClient.builder().build();
    @TempDir
    Path dir;

    private FixtureImage sampleImage(String repository) {
        return images.image(repository)
                .layer("ADD rootfs", l -> l.file("etc/os-release", "ID=fixture\n"))
                .env("MODE", "test")
                .layer("COPY app", l -> l.file("app/run", "#!/bin/sh\necho hi\n"))
                .cmd("/app/run")
                .label("org.example.team", "gantry");
    }

    private static ImageReference ref(RegistryPeer registry, String repositoryAndTag) {
        return ImageReference.parse(registry.hostPort() + "/" + repositoryAndTag);
    }

    @Test
    void pullsAnImageAsTheRegistryHasIt(RegistryPeer registry) throws IOException {
        FixtureImage image = sampleImage(FixtureImages.unique("pull/app"));
        registry.pusher().push(image);
        ImageReference reference = ImageReference.parse(image.reference(registry.hostPort()));

        FetchedManifest fetched = client.pullImageManifest(reference, Platform.parse("linux/amd64"), NONE);

        assertThat(fetched.digest().toString()).isEqualTo(image.manifestDigest());
        assertThat(fetched.bytes()).isEqualTo(image.manifest().bytes());
        assertThat(fetched.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        Manifest manifest = fetched.manifest().orElseThrow();
        assertThat(manifest.layers()).extracting(d -> d.digest().toString())
                .containsExactlyElementsOf(image.layerBlobs().stream().map(Blob::digest).toList());

        ImageConfig config = client.pullConfig(reference.repo(), manifest, NONE);
        assertThat(config.platform().toString()).isEqualTo("linux/amd64");
        assertThat(config.env()).contains("MODE=test");
        assertThat(config.cmd()).containsExactly("/app/run");
        assertThat(config.labels()).containsEntry("org.example.team", "gantry");
        assertThat(config.diffIds()).extracting(Digest::toString).containsExactlyElementsOf(image.diffIds());
        assertThat(config.history()).extracting(h -> h.createdBy().orElse("")).contains("ADD rootfs", "COPY app");

        List<Long> progress = new ArrayList<>();
        for (Descriptor layer : manifest.layers()) {
            Path target = dir.resolve(layer.digest().hex());
            client.pullBlob(reference.repo(), layer, target, (done, total) -> progress.add(done), NONE);
            assertThat(Digest.sha256(Files.readAllBytes(target))).isEqualTo(layer.digest());
        }
        assertThat(progress).isNotEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(name -> !name.endsWith(".partial"));
        }
    }

    @Test
    void pullsByDigestAndHeadsByTag(RegistryPeer registry) {
        FixtureImage image = sampleImage(FixtureImages.unique("digest/app")).oci();
        registry.pusher().push(image);
        ImageReference byTag = ImageReference.parse(image.reference(registry.hostPort()));
        Digest digest = Digest.of(image.manifestDigest());

        Descriptor head = client.headManifest(byTag, NONE).orElseThrow();
        FetchedManifest byDigest = client.pullManifest(byTag.atDigest(digest), NONE);

        assertThat(head.digest()).isEqualTo(digest);
        assertThat(head.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(head.size()).isEqualTo(image.manifest().size());
        assertThat(byDigest.digest()).isEqualTo(digest);
        assertThat(client.headManifest(byTag.withTag("absent"), NONE)).isEmpty();
        assertThat(client.blobExists(byTag.repo(), Digest.of(image.imageId()), NONE)).isTrue();
        assertThat(client.blobExists(byTag.repo(), Digest.sha256("nope"), NONE)).isFalse();
    }

    @Test
    void choosesThePlatformFromAManifestListAndAnOciIndex(RegistryPeer registry) {
        FixtureImage app = sampleImage("app");
        for (FixtureIndex index : List.of(
                images.index(FixtureImages.unique("multi/docker"), app.platform("linux/amd64"),
                        app.platform("linux/arm64/v8"), app.platform("linux/arm/v7")),
                images.index(FixtureImages.unique("multi/oci"), app.platform("linux/amd64"),
                        app.platform("linux/arm64/v8"), app.platform("linux/arm/v7")).oci())) {
            registry.pusher().push(index);
            ImageReference reference = ImageReference.parse(index.reference(registry.hostPort()));

            FetchedManifest list = client.pullManifest(reference, NONE);
            FetchedManifest arm64 = client.pullImageManifest(reference, Platform.parse("linux/aarch64"), NONE);
            FetchedManifest armV7 = client.pullImageManifest(reference, Platform.parse("linux/armhf"), NONE);
            FetchedManifest amd64 = client.pullImageManifest(reference, Platform.parse("linux/amd64"), NONE);

            assertThat(list.index()).isPresent();
            assertThat(list.mediaType()).isEqualTo(index.format().indexMediaType());
            assertThat(list.digest().toString()).isEqualTo(index.manifestDigest());
            assertThat(arm64.digest().toString()).isEqualTo(index.images().get(1).manifestDigest());
            assertThat(armV7.digest().toString()).isEqualTo(index.images().get(2).manifestDigest());
            assertThat(amd64.digest().toString()).isEqualTo(index.images().get(0).manifestDigest());
            assertThat(client.pullConfig(reference.repo(), arm64.manifest().orElseThrow(), NONE).platform().toString())
                    .isEqualTo("linux/arm64/v8");
            assertThatThrownBy(() -> client.pullImageManifest(reference, Platform.parse("linux/s390x"), NONE))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                        assertThat(e.code()).contains(RegistryClient.NO_MATCHING_PLATFORM);
                        assertThat(e.getMessage()).contains("linux/amd64", "linux/arm64/v8", "linux/arm/v7");
                    });
        }
    }

    @Test
    void reportsTheRegistrysErrorCodes(RegistryPeer registry) {
        FixtureImage image = sampleImage(FixtureImages.unique("errors/app"));
        registry.pusher().push(image);

        assertThatThrownBy(() -> client.pullManifest(ref(registry, image.repository() + ":missing"), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                    assertThat(e.code()).contains("MANIFEST_UNKNOWN");
                    assertThat(e.httpStatus()).hasValue(404);
                });
        assertThatThrownBy(() -> client.listTags(Repository.parse(registry.hostPort() + "/no/such/repo"), 0,
                Optional.empty(), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                    assertThat(e.code()).contains("NAME_UNKNOWN");
                });
        Descriptor missing = Descriptor.of(MediaTypes.DOCKER_LAYER, Digest.sha256("missing"), 7);
        assertThatThrownBy(() -> client.pullBlob(Repository.parse(registry.hostPort() + "/" + image.repository()),
                missing, dir.resolve("x"), ProgressListener.NONE, NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void pagesThroughTagsAndTheCatalog(RegistryPeers registries) {
        RegistryPeer registry = registries.start();
        FixtureImage image = sampleImage("paged/app");
        for (String tag : List.of("v1", "v2", "v3", "v4", "v5")) {
            registry.pusher().push(image, "paged/app", tag);
        }
        for (String name : List.of("alpha", "beta", "gamma", "delta")) {
            registry.pusher().push(image, "catalog/" + name, "latest");
        }
        Repository repository = Repository.parse(registry.hostPort() + "/paged/app");

        List<List<String>> tagPages = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page<String> page = client.listTags(repository, 2, cursor, NONE);
            tagPages.add(page.items());
            cursor = page.next();
        } while (cursor.isPresent());
        List<List<String>> catalogPages = new ArrayList<>();
        cursor = Optional.empty();
        do {
            Page<String> page = client.listCatalog(registry.hostPort(), 2, cursor, NONE);
            catalogPages.add(page.items());
            cursor = page.next();
        } while (cursor.isPresent());

        // docker-registry 2.8 ignores n for tags (tag pagination came with distribution 3.0) and
        // answers in one page; Link-header paging of tags is covered by RegistryFaultTest.
        assertThat(tagPages.stream().flatMap(List::stream)).containsExactlyInAnyOrder("v1", "v2", "v3", "v4", "v5");
        assertThat(client.listAllTags(repository, NONE)).containsExactlyInAnyOrder("v1", "v2", "v3", "v4", "v5");
        assertThat(catalogPages).hasSize(3).allMatch(page -> page.size() <= 2);
        assertThat(catalogPages.stream().flatMap(List::stream))
                .containsExactly("catalog/alpha", "catalog/beta", "catalog/delta", "catalog/gamma", "paged/app");
    }

    @Test
    void searchesTheCatalogPageByPage(RegistryPeers registries) {
        RegistryPeer registry = registries.start();
        FixtureImage image = sampleImage("x");
        for (String name : List.of("web/nginx", "web/nginx-proxy", "db/postgres", "tools/nginx-exporter", "web/apache")) {
            registry.pusher().push(image, name, "latest");
        }

        SearchPage first = client.search(registry.hostPort(), "NGINX", 2, Optional.empty(), NONE);
        SearchPage second = client.searchCatalog(registry.hostPort(), "nginx", 2, first.next(), NONE);

        String host = registry.hostPort();
        assertThat(first.results()).extracting(SearchResult::name)
                .containsExactly(host + "/tools/nginx-exporter", host + "/web/nginx");
        assertThat(first.totalResults()).isEmpty();
        assertThat(second.results()).extracting(SearchResult::name).containsExactly(host + "/web/nginx-proxy");
        assertThat(second.hasNext()).isFalse();
    }

    @Test
    void pushesUploadsMountsAndTags(RegistryPeer registry) {
        FixtureImage image = sampleImage(FixtureImages.unique("push/src")).oci();
        Repository source = Repository.parse(registry.hostPort() + "/" + image.repository());
        Repository other = Repository.parse(registry.hostPort() + "/" + FixtureImages.unique("push/dst"));
        List<Blob> blobs = new ArrayList<>(image.layerBlobs());
        blobs.add(image.configBlob());

        List<PushOutcome> first = new ArrayList<>();
        List<PushOutcome> again = new ArrayList<>();
        List<PushOutcome> mounted = new ArrayList<>();
        for (Blob blob : blobs) {
            Digest digest = Digest.of(blob.digest());
            first.add(client.pushBlob(source, digest, BlobSource.of(blob.bytes()), Optional.empty(),
                    ProgressListener.NONE, NONE));
            again.add(client.pushBlob(source, digest, BlobSource.of(blob.bytes()), Optional.empty(),
                    ProgressListener.NONE, NONE));
            mounted.add(client.pushBlob(other, digest, BlobSource.of(new byte[0]), Optional.of(source),
                    ProgressListener.NONE, NONE));
        }
        Digest pushed = client.pushManifest(source.tag("1.0"), MediaTypes.OCI_MANIFEST, image.manifest().bytes(), NONE);
        Digest tagged = client.tag(source.tag("1.0"), "stable", NONE);
        Digest copied = client.copy(source.tag("stable"), other.tag("copy"), NONE);

        assertThat(first).containsOnly(PushOutcome.UPLOADED);
        assertThat(again).containsOnly(PushOutcome.EXISTED);
        assertThat(mounted).containsOnly(PushOutcome.MOUNTED);
        assertThat(pushed.toString()).isEqualTo(image.manifestDigest());
        assertThat(tagged).isEqualTo(pushed);
        assertThat(copied).isEqualTo(pushed);
        assertThat(client.pullManifest(other.tag("copy"), NONE).bytes()).isEqualTo(image.manifest().bytes());
        assertThat(client.listAllTags(source, NONE)).containsExactlyInAnyOrder("1.0", "stable");
    }

    @Test
    void aRefusedMountFallsBackToAnUpload(RegistryPeer registry) {
        Repository empty = Repository.parse(registry.hostPort() + "/" + FixtureImages.unique("mount/empty"));
        Repository target = Repository.parse(registry.hostPort() + "/" + FixtureImages.unique("mount/target"));
        byte[] content = TestSupport.bytes(50_000, 9);
        Digest digest = Digest.sha256(content);

        PushOutcome outcome = client.pushBlob(target, digest, BlobSource.of(content), Optional.of(empty),
                ProgressListener.NONE, NONE);

        assertThat(outcome).isEqualTo(PushOutcome.UPLOADED);
        assertThat(client.pullBlobBytes(target, Descriptor.of(MediaTypes.OCI_LAYER, digest, content.length), NONE))
                .isEqualTo(content);
    }

    @Test
    void copiesAWholeIndexToAnotherRegistry(RegistryPeer registry, RegistryPeers registries) {
        RegistryPeer target = registries.start();
        FixtureImage app = sampleImage("app");
        FixtureIndex index = images.index(FixtureImages.unique("copy/multi"), app.platform("linux/amd64"),
                app.platform("linux/arm64/v8")).oci();
        registry.pusher().push(index);
        ImageReference source = ImageReference.parse(index.reference(registry.hostPort()));
        ImageReference destination = ImageReference.parse(target.hostPort() + "/mirror/multi:1");

        Digest copied = client.copy(source, destination, NONE);

        assertThat(copied.toString()).isEqualTo(index.manifestDigest());
        FetchedManifest arm = client.pullImageManifest(destination, Platform.parse("linux/arm64"), NONE);
        assertThat(arm.digest().toString()).isEqualTo(index.images().get(1).manifestDigest());
        for (Descriptor layer : arm.manifest().orElseThrow().layers()) {
            assertThat(client.blobExists(destination.repo(), layer.digest(), NONE)).isTrue();
        }
    }

    /**
     * A big blob is handed to the sink a quarter MiB at a time, whole and in order: on the test VM
     * one 1 MiB write call cost the kernel several times what four of 256 KiB did
     * (docs/benchmarks.md, PullBenchmark).
     */
    @Test
    void aBigBlobReachesTheSinkInQuarterMebibyteWrites(RegistryPeer registry) {
        byte[] content = new byte[5 * 1024 * 1024 + 12_345]; // several 1 MiB chunks and a short last one
        new java.util.Random(7).nextBytes(content);
        Blob blob = Blob.of(MediaTypes.OCI_LAYER, content);
        String repository = FixtureImages.unique("pull/slices");
        registry.pusher().pushBlob(repository, blob);
        MemorySink sink = new MemorySink();

        Digest digest = client.pullBlob(Repository.parse(registry.hostPort() + "/" + repository),
                Descriptor.of(MediaTypes.OCI_LAYER, Digest.of(blob.digest()), content.length), sink, ProgressListener.NONE, NONE);

        assertThat(digest.toString()).isEqualTo(blob.digest());
        assertThat(sink.committed).isTrue();
        assertThat(sink.bytes.toByteArray()).isEqualTo(content);
        assertThat(sink.writes).allSatisfy(length -> assertThat(length).isBetween(1, 256 * 1024));
        assertThat(sink.writes.stream().mapToLong(Integer::longValue).sum()).isEqualTo(content.length);
    }
}
