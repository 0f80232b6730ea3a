package io.gantry.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.NodeImageCache;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.registry.RegistryClient;
import java.util.Optional;
import io.gantry.testing.ContainerdExtension;
import io.gantry.testing.ContainerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The containerd endpoint against the harness's private containerd: images seeded with
 * {@code ctr images pull --plain-http} from the harness registry into a namespace of the test's own,
 * and what Gantry shows compared with what {@code ctr} says and what the content store holds.
 */
@Tag("peer")
@ExtendWith({ContainerdExtension.class, RegistryExtension.class})
class ContainerdStoreTest {

    private final FixtureImages images = new FixtureImages();

    private static ContainerdStore store(ContainerdPeer containerd, String namespace) {
        return ContainerdStore.open("containerd", containerd.socket(), namespace);
    }

    private String seed(ContainerdPeer containerd, RegistryPeer registry, String namespace, FixtureImage image) {
        registry.pusher().push(image);
        return containerd.pull(namespace, image.reference(registry.hostPort()));
    }

    private static long blobFile(ContainerdPeer containerd, String digest) {
        try {
            return Files.size(containerd.contentStore().resolve("blobs/sha256/" + Digest.of(digest).hex()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void versionNamespacesAndCapabilities(ContainerdPeer containerd, RegistryPeer registry) {
        String namespace = FixtureImages.unique("ns");
        seed(containerd, registry, namespace, images.image(FixtureImages.unique("v")).layer(l -> l.file("a", "a")));
        try (ContainerdStore store = store(containerd, "default")) {
            assertThat(store.info().version()).isEqualTo(containerd.version());
            assertThat(store.info().product()).isEqualTo("containerd");
            assertThat(store.namespaces()).contains(namespace)
                    .containsExactlyElementsOf(containerd.ctrOk("default", "namespaces", "ls", "-q").lines().stream()
                            .sorted().toList());
            assertThat(store.capabilities().has(Capability.NAMESPACES)).isTrue();
            assertThat(store.endpoint().id()).isEqualTo("containerd:" + containerd.address());
            ImageStore other = store.inNamespace(namespace);
            assertThat(other.namespace()).contains(namespace);
            assertThat(other.listImages()).hasSize(1);
            other.close();
            assertThat(store.listImages().stream().flatMap(i -> i.repoTags().stream()))
                    .as("the default namespace is another one, still usable after the other store closed")
                    .noneMatch(t -> t.contains(namespace));
        }
    }

    @Test
    void listsImagesWithSizesSharingLayersAndHistoryAsTheContentStoreHasThem(ContainerdPeer containerd,
                                                                            RegistryPeer registry) throws IOException {
        String namespace = FixtureImages.unique("ns");
        FixtureImage base = images.image(FixtureImages.unique("base"))
                .layer("ADD base", l -> l.file("etc/os-release", "ID=fixture\n").file("bin/tool", "x".repeat(5000)));
        FixtureImage app = base.child(FixtureImages.unique("app")).layer("COPY app", l -> l.file("app/main", "v1"))
                .env("MODE", "test");
        String baseRef = seed(containerd, registry, namespace, base);
        String appRef = seed(containerd, registry, namespace, app);

        try (ContainerdStore store = store(containerd, namespace)) {
            List<ImageSummary> listed = store.listImages();
            assertThat(listed).extracting(ImageSummary::id).containsExactlyInAnyOrder(
                    Digest.of(base.imageId()), Digest.of(app.imageId()));
            assertThat(containerd.ctrOk(namespace, "images", "ls", "-q").lines())
                    .containsExactlyInAnyOrder(baseRef, appRef);
            ImageSummary b = listed.stream().filter(i -> i.id().equals(Digest.of(base.imageId()))).findFirst().get();
            ImageSummary a = listed.stream().filter(i -> i.id().equals(Digest.of(app.imageId()))).findFirst().get();
            assertThat(b.repoTags()).containsExactly(baseRef);
            assertThat(a.repoTags()).containsExactly(appRef);
            long baseLayer = blobFile(containerd, base.layerBlobs().get(0).digest());
            long appLayer = blobFile(containerd, app.layerBlobs().get(1).digest());
            assertThat(b.size()).isEqualTo(baseLayer);
            assertThat(a.size()).isEqualTo(baseLayer + appLayer);
            assertThat(b.sharedSize()).isEqualTo(baseLayer);
            assertThat(a.sharedSize()).isEqualTo(baseLayer);
            assertThat(a.uniqueSize()).isEqualTo(appLayer);
            assertThat(a.created()).isEqualTo(app.created());

            long referenced = blobFile(containerd, base.layerBlobs().get(0).digest()) + appLayer
                    + blobFile(containerd, base.manifestDigest()) + blobFile(containerd, app.manifestDigest())
                    + blobFile(containerd, base.configBlob().digest()) + blobFile(containerd, app.configBlob().digest());
            assertThat(store.diskUsage()).as("from the facts and the content list").hasValue(referenced);
            try (ContainerdStore fresh = store(containerd, namespace)) {
                assertThat(fresh.listWithDiskUsage().diskUsage()).as("from content read anew").hasValue(referenced);
            }

            List<ImageLayer> layers = store.layers(ImageKey.parse(appRef));
            assertThat(layers).extracting(l -> l.diffId().toString()).containsExactlyElementsOf(app.diffIds());
            assertThat(layers).extracting(ImageLayer::createdBy).containsExactly("ADD base", "COPY app");
            List<HistoryEntry> history = store.history(ImageKey.parse(app.imageId().substring(7, 19)));
            assertThat(history.get(0).imageId()).contains(Digest.of(app.imageId()));
            assertThat(history.get(0).tags()).containsExactly(appRef);
            assertThat(store.inspect(ImageKey.parse(appRef)).config().env()).contains("MODE=test");

            try (InputStream layer = store.openLayer(Digest.of(app.layerBlobs().get(1).digest()))) {
                assertThat(layer.readAllBytes()).isEqualTo(app.layerBlobs().get(1).bytes());
            }
            assertThatThrownBy(() -> store.inspect(ImageKey.parse("nothing-here:1")))
                    .isInstanceOf(GantryException.class)
                    .satisfies(e -> assertThat(((GantryException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND))
                    .hasMessageContaining(namespace);
        }
    }

    /**
     * The listing file ({@link ListingFacts}): a second process (a new store on the same directory)
     * lists from it what a listing without one lists; it is what that listing used (an entry changed
     * in the file shows); an image whose config the content store no longer holds is left out as
     * without the file; a damaged file is ignored.
     */
    @Test
    void theListingFileListsAsTheContentDoesAndNeverAnImageWhoseContentIsGone(ContainerdPeer containerd,
            RegistryPeer registry, @org.junit.jupiter.api.io.TempDir Path listings) throws IOException {
        String namespace = FixtureImages.unique("ns");
        FixtureImage base = images.image(FixtureImages.unique("base")).layer("ADD base", l -> l.file("etc/base", "b"));
        FixtureImage app = base.child(FixtureImages.unique("app")).layer("COPY app", l -> l.file("app/main", "a"));
        seed(containerd, registry, namespace, base);
        String appRef = seed(containerd, registry, namespace, app);
        List<ImageSummary> fresh;
        try (ContainerdStore store = store(containerd, namespace)) {
            fresh = store.listImages();
        }
        assertThat(fresh).hasSize(2);
        try (ContainerdStore store = cached(containerd, namespace, listings)) {
            assertThat(store.listImages()).isEqualTo(fresh);
        }
        List<Path> files;
        try (var listed = Files.list(listings)) {
            files = listed.toList();
        }
        assertThat(files).hasSize(1);
        Path file = files.get(0);
        assertThat(Files.readAllLines(file)).hasSize(3); // the version line and one line per image
        try (ContainerdStore store = cached(containerd, namespace, listings)) {
            assertThat(store.listImages()).isEqualTo(fresh);
        }

        // what the next process lists comes from the file: the base's created time changed there shows
        String baseCreated = base.created().getEpochSecond() + "." + base.created().getNano();
        String text = Files.readString(file);
        assertThat(text).contains("\t" + baseCreated + "\t");
        Files.writeString(file, text.replace("\t" + baseCreated + "\t", "\t86400.0\t"));
        try (ContainerdStore store = cached(containerd, namespace, listings)) {
            assertThat(store.listImages()).filteredOn(i -> i.id().equals(Digest.of(base.imageId())))
                    .extracting(ImageSummary::created).containsExactly(java.time.Instant.ofEpochSecond(86400));
        }

        containerd.ctrOk(namespace, "content", "rm", app.configBlob().digest());
        List<ImageSummary> withoutApp;
        try (ContainerdStore store = store(containerd, namespace)) {
            withoutApp = store.listImages();
        }
        assertThat(withoutApp).extracting(ImageSummary::id).containsExactly(Digest.of(base.imageId()));
        Files.writeString(file, "gantry-containerd-listing 2 " + io.gantry.core.Platform.current() + "\nnot\ta\tline\n");
        try (ContainerdStore store = cached(containerd, namespace, listings)) {
            assertThat(store.listImages()).as("a damaged file is ignored and written anew").isEqualTo(withoutApp);
        }
        try (ContainerdStore store = cached(containerd, namespace, listings)) {
            assertThat(store.listImages()).as("image %s has no config in the content store", appRef)
                    .isEqualTo(withoutApp);
        }
    }

    private static ContainerdStore cached(ContainerdPeer containerd, String namespace, Path listings) {
        return ContainerdStore.open("containerd", containerd.socket(), namespace, Optional.empty(),
                io.gantry.engine.EngineCredentials.anonymous(), Optional.of(listings));
    }

    /**
     * {@code tag} creates an image record as {@code ctr images tag} would: by name it points where
     * that name points, by ID too; a name that named another image moves; {@code ctr} sees the
     * records, and untagging the new name leaves the old one.
     */
    @Test
    void tagCreatesARecordCtrSeesAndMovesANameFromAnotherImage(ContainerdPeer containerd, RegistryPeer registry) {
        String namespace = FixtureImages.unique("ns");
        FixtureImage one = images.image(FixtureImages.unique("one")).layer(l -> l.file("etc/one", "1"));
        FixtureImage two = images.image(FixtureImages.unique("two")).layer(l -> l.file("etc/two", "2"));
        String oneRef = seed(containerd, registry, namespace, one);
        String twoRef = seed(containerd, registry, namespace, two);
        String alias = registry.hostPort() + "/" + FixtureImages.unique("alias") + ":1";
        try (ContainerdStore store = store(containerd, namespace)) {
            assertThat(store.capabilities().tag()).isTrue();
            store.tag(ImageKey.parse(oneRef), io.gantry.core.ImageReference.parse(alias));
            assertThat(containerd.ctrOk(namespace, "images", "ls", "-q").lines()).contains(oneRef, twoRef, alias);
            assertThat(store.inspect(ImageKey.parse(alias)).id()).isEqualTo(Digest.of(one.imageId()));
            assertThat(store.listImages()).filteredOn(i -> i.id().equals(Digest.of(one.imageId())))
                    .singleElement().satisfies(i -> assertThat(i.repoTags()).containsExactlyInAnyOrder(oneRef, alias));

            store.tag(ImageKey.parse(two.imageId()), io.gantry.core.ImageReference.parse(alias));
            assertThat(store.inspect(ImageKey.parse(alias)).id()).as("the name moved").isEqualTo(Digest.of(two.imageId()));
            assertThat(store.listImages()).filteredOn(i -> i.id().equals(Digest.of(one.imageId())))
                    .singleElement().satisfies(i -> assertThat(i.repoTags()).containsExactly(oneRef));

            DeleteResult untag = store.delete(ImageKey.parse(alias), false);
            assertThat(untag.lines()).containsExactly(DeleteLine.untagged(alias));
            assertThat(containerd.ctrOk(namespace, "images", "ls", "-q").lines()).containsExactlyInAnyOrder(oneRef, twoRef);
            assertThatThrownBy(() -> store.tag(ImageKey.parse("nothing-here:1"), io.gantry.core.ImageReference.parse(alias)))
                    .isInstanceOf(GantryException.class)
                    .satisfies(e -> assertThat(((GantryException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND));
        }
    }

    @Test
    void untagRemovesOneNameOnlyAndDeleteFreesTheUnsharedLayers(ContainerdPeer containerd, RegistryPeer registry) {
        String namespace = FixtureImages.unique("ns");
        FixtureImage base = images.image(FixtureImages.unique("base")).layer(l -> l.file("etc/base", "base"));
        FixtureImage app = base.child(FixtureImages.unique("app")).layer(l -> l.file("app/main", "v1"));
        seed(containerd, registry, namespace, base);
        String appRef = seed(containerd, registry, namespace, app);
        String second = app.reference(registry.hostPort()).replace(":" + app.tag(), ":second");
        containerd.ctrOk(namespace, "images", "tag", appRef, second);

        try (ContainerdStore store = store(containerd, namespace)) {
            DeleteResult untag = store.delete(ImageKey.parse(second), false);
            assertThat(untag.lines()).containsExactly(DeleteLine.untagged(second));
            assertThat(containerd.ctrOk(namespace, "images", "ls", "-q").lines()).contains(appRef).doesNotContain(second);

            String appLayer = app.layerBlobs().get(1).digest();
            String baseLayer = base.layerBlobs().get(0).digest();
            DeleteResult deleted = store.delete(ImageKey.parse(appRef), false);
            assertThat(deleted.conflict()).isEmpty();
            assertThat(deleted.lines()).contains(DeleteLine.untagged(appRef),
                    new DeleteLine(DeleteLine.Action.DELETED, app.imageId()),
                    new DeleteLine(DeleteLine.Action.DELETED, appLayer));
            assertThat(deleted.lines()).noneMatch(l -> l.value().equals(baseLayer));
            String content = containerd.ctrOk(namespace, "content", "ls", "-q").stdout();
            assertThat(content).doesNotContain(appLayer).contains(baseLayer);
        }
    }

    @Test
    void anImageAContainerUsesIsBlockedWithTheContainerNamedThoughContainerdWouldDeleteIt(ContainerdPeer containerd,
                                                                                          RegistryPeer registry) {
        String namespace = FixtureImages.unique("ns");
        FixtureImage image = images.image(FixtureImages.unique("used")).layer(l -> l.file("etc/used", "u"));
        String ref = seed(containerd, registry, namespace, image);
        containerd.ctrOk(namespace, "containers", "create", "--snapshotter", "native", ref, "web-1");

        try (ContainerdStore store = store(containerd, namespace)) {
            List<ContainerRef> containers = store.containers();
            assertThat(containers).extracting(ContainerRef::id).containsExactly("web-1");
            assertThat(containers.get(0).imageId()).isEqualTo(Digest.of(image.imageId()));
            assertThat(containers.get(0).running()).isFalse();
            assertThat(store.listImages().get(0).containers()).isEqualTo(1);

            DeleteResult refused = store.delete(ImageKey.parse(ref), false);
            assertThat(refused.conflict()).isPresent();
            DeleteConflict conflict = refused.conflict().get();
            assertThat(conflict.containers()).extracting(ContainerRef::id).containsExactly("web-1");
            assertThat(conflict.engineMessage()).contains("web-1");
            assertThat(containerd.ctrOk(namespace, "images", "ls", "-q").lines()).containsExactly(ref);

            PruneResult preview = store.prune(PruneMode.ALL_UNUSED, true);
            assertThat(preview.imagesDeleted()).isEmpty();
        }
    }

    @Test
    void pruneDoesWhatItsPreviewSaid(ContainerdPeer containerd, RegistryPeer registry) {
        String namespace = FixtureImages.unique("ns");
        FixtureImage kept = images.image(FixtureImages.unique("kept")).layer(l -> l.file("etc/kept", "k"));
        FixtureImage unused = images.image(FixtureImages.unique("unused")).layer(l -> l.file("etc/unused", "u"));
        String keptRef = seed(containerd, registry, namespace, kept);
        String unusedRef = seed(containerd, registry, namespace, unused);
        containerd.ctrOk(namespace, "containers", "create", "--snapshotter", "native", keptRef, "keeper");

        try (ContainerdStore store = store(containerd, namespace)) {
            PruneResult preview = store.prune(PruneMode.ALL_UNUSED, true);
            assertThat(preview.imagesDeleted()).containsExactly(Digest.of(unused.imageId()));
            assertThat(containerd.ctrOk(namespace, "images", "ls", "-q").lines()).contains(unusedRef);

            PruneResult done = store.prune(PruneMode.ALL_UNUSED, false);
            assertThat(done.lines()).isEqualTo(preview.lines());
            assertThat(done.spaceReclaimed()).isEqualTo(preview.spaceReclaimed())
                    .isEqualTo(unused.layerBlobs().get(0).bytes().length);
            assertThat(containerd.ctrOk(namespace, "images", "ls", "-q").lines()).containsExactly(keptRef);
            assertThat(containerd.ctrOk(namespace, "content", "ls", "-q").stdout())
                    .doesNotContain(unused.layerBlobs().get(0).digest());
            assertThat(store.prune(PruneMode.ALL_UNUSED, true).lines()).isEmpty();
        }
    }

    @Test
    void pullsThroughGantrysRegistryClientIntoANamespaceAsCtrThenSeesIt(ContainerdPeer containerd, RegistryPeer registry) {
        String namespace = FixtureImages.unique("pull");
        FixtureImage base = images.image(FixtureImages.unique("base")).layer("ADD base", l -> l.file("etc/base", "b"));
        FixtureImage app = base.child(FixtureImages.unique("app")).layer("COPY app", l -> l.file("app/main", "v1"));
        registry.pusher().push(base);
        registry.pusher().push(app);
        String baseRef = seed(containerd, registry, namespace, base);
        String appRef = app.reference(registry.hostPort());
        java.util.List<PullProgress> events = new java.util.ArrayList<>();
        try (ContainerdStore store = ContainerdStore.open("containerd", containerd.socket(), namespace,
                Optional.of(() -> RegistryClient.builder().build()))) {
            PullResult pulled = store.pull(PullRequest.of(appRef), events::add, Cancellation.none());

            assertThat(pulled.imageId()).isEqualTo(Digest.of(app.imageId()));
            assertThat(pulled.upToDate()).isFalse();
            assertThat(events).anyMatch(e -> e.phase() == PullProgress.Phase.ALREADY_EXISTS)
                    .anyMatch(e -> e.phase() == PullProgress.Phase.PULL_COMPLETE);
            assertThat(containerd.ctrOk(namespace, "images", "ls", "-q").lines()).containsExactlyInAnyOrder(baseRef, appRef);
            String check = containerd.ctrOk(namespace, "images", "check").stdout();
            assertThat(check.lines().filter(l -> l.startsWith(appRef)).findFirst().orElse(""))
                    .as(check).contains("complete");
            assertThat(store.inspect(ImageKey.parse(appRef)).id()).isEqualTo(Digest.of(app.imageId()));

            // the lease is gone; a synchronous garbage collection (removing the base image) keeps what the
            // pulled manifest's labels reference, the base layer included
            containerd.ctrOk(namespace, "images", "rm", "--sync", baseRef);
            assertThat(containerd.ctrOk(namespace, "content", "ls", "-q").stdout())
                    .contains(app.layerBlobs().get(0).digest(), app.layerBlobs().get(1).digest(),
                            app.configBlob().digest())
                    .doesNotContain(base.configBlob().digest());
            assertThat(store.pull(PullRequest.of(appRef), e -> { }, Cancellation.none()).upToDate()).isTrue();
        }
    }

    @Test
    void theNodeViewShowsTheCrisImagesWhatUsesThemAndWhatTheKubeletsGcWouldRemoveFirst(ContainerdPeer containerd,
                                                                                       RegistryPeer registry)
            throws InterruptedException {
        FixtureImage used = images.image(FixtureImages.unique("node-used")).layer(l -> l.file("u", "used"));
        FixtureImage idle = images.image(FixtureImages.unique("node-idle")).layer(l -> l.file("i", "idle"));
        String usedRef = seed(containerd, registry, "k8s.io", used);
        String idleRef = seed(containerd, registry, "k8s.io", idle);
        String container = FixtureImages.unique("pod-c");
        containerd.ctrOk("k8s.io", "containers", "create", "--snapshotter", "native", usedRef, container);

        try (ContainerdStore store = store(containerd, "default")) {
            assertThat(store.capabilities().has(Capability.NODE_IMAGES)).isTrue();
            NodeImageCache cache = store.nodeImageCache();
            // the CRI learns of images pulled by another client from containerd's events: wait for it
            for (int i = 0; i < 100 && cache.images().stream().filter(n -> n.repoTags().contains(idleRef)).findAny()
                    .isEmpty(); i++) {
                Thread.sleep(100);
                cache = store.nodeImageCache();
            }
            NodeImageCache.NodeImage u = find(cache, usedRef);
            NodeImageCache.NodeImage d = find(cache, idleRef);
            assertThat(u.id()).isEqualTo(used.imageId());
            assertThat(u.usedBy()).containsExactly(container);
            assertThat(u.collectable()).isFalse();
            assertThat(d.usedBy()).isEmpty();
            assertThat(d.pinned()).isFalse();
            assertThat(cache.collectionOrder()).contains(d).doesNotContain(u);
            assertThat(cache.mountpoint()).startsWith(containerd.root().toString());
            // the CRI measures the image filesystem every stats_collect_period (10 s): wait for a figure
            for (int i = 0; i < 300 && cache.usedBytes() == 0; i++) {
                Thread.sleep(100);
                cache = store.nodeImageCache();
            }
            assertThat(cache.usedBytes()).isPositive();
            assertThat(cache.capacityBytes()).isPresent();
            assertThat(cache.capacityBytes().getAsLong()).isGreaterThan(cache.usedBytes());
        }
    }

    private static NodeImageCache.NodeImage find(NodeImageCache cache, String tag) {
        return cache.images().stream().filter(n -> n.repoTags().contains(tag)).findFirst()
                .orElseThrow(() -> new AssertionError(tag + " is not among the CRI's images: " + cache.images()));
    }

    @Test
    void aSocketNobodyServesIsUnavailableNotAStackTrace(@org.junit.jupiter.api.io.TempDir Path dir) {
        try (ContainerdStore store = ContainerdStore.open("containerd", dir.resolve("none.sock"), "default")) {
            assertThatThrownBy(store::listImages).isInstanceOf(GantryException.class)
                    .satisfies(e -> assertThat(((GantryException) e).kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                    .hasMessageContaining("does not answer").hasMessageNotContaining("Exception");
        }
        assertThatThrownBy(() -> ContainerdStore.open("containerd", dir.resolve("x.sock"), "no/such"))
                .isInstanceOf(GantryException.class).hasMessageContaining("namespace");
    }
}
