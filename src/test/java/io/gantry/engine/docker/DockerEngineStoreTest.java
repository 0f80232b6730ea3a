package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.EngineInfo;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.StoreEvent;
import io.gantry.engine.StoreEventListener;
import io.gantry.engine.Subscription;
import io.gantry.testing.BothEngines;
import io.gantry.testing.EnginePeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.Layer;
import io.gantry.testing.PodmanPeer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * {@link DockerEngineStore} against both of the harness's private engines, each test once per engine
 * ({@link BothEngines}): dockerd (Debian docker.io 20.10, API 1.41, vfs) and a rootful Podman
 * service (Debian podman 4.3, its Docker-compatible API 1.41, vfs), with fixture images loaded
 * into them. The engines are shared with other test classes, so every test uses images of its own
 * ({@link FixtureImages#unique}).
 */
@Tag("peer")
class DockerEngineStoreTest {

    private final FixtureImages images = new FixtureImages();
    private final ObjectMapper json = new ObjectMapper();
    private EnginePeer engine;
    private DockerEngineStore store;

    @BeforeEach
    void open(EnginePeer engine) {
        this.engine = engine;
        this.store = EngineStores.on(engine);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** An image of its own: its layer holds its unique name, so no other test's image shares it. */
    private FixtureImage base(String name) {
        String repository = FixtureImages.unique(name);
        return images.image(repository)
                .layer("ADD base", l -> l.file("etc/hostname", repository + "\n").randomFile("base.bin", 20_000, 1));
    }

    /** A runnable busybox image of its own (a unique layer on top, so its image ID is its own). */
    private FixtureImage busybox(String name) {
        String repository = FixtureImages.unique(name);
        return images.busybox(repository).layer("ADD id", l -> l.file("etc/hostname", repository + "\n"));
    }

    // ---- engine info

    @BothEngines.Test
    void infoReportsEngineApiAndComponentVersions() {
        EngineInfo info = store.info();

        assertThat(info.version()).isEqualTo(engine.version());
        assertThat(info.apiVersion()).isEqualTo("1.41");
        assertThat(info.clientVersion()).isEqualTo("Gantry engine client, API 1.41");
        assertThat(info.os()).isEqualTo("linux");
        assertThat(info.storageDriver()).as("both harness engines store layers with vfs").isEqualTo("vfs");
        if (engine.kind() == EnginePeer.Kind.PODMAN) {
            assertThat(info.product()).isEqualTo("Podman Engine");
            assertThat(info.component("Podman Engine")).contains(engine.version());
            assertThat(info.component("Conmon")).get().asString().isNotBlank();
            assertThat(store.endpoint().kind()).isEqualTo(io.gantry.engine.Endpoint.Kind.PODMAN);
        } else {
            assertThat(info.product()).isEqualTo("Docker Engine");
            assertThat(info.component("Engine")).contains(engine.version());
            assertThat(info.component("containerd")).get().asString().isNotBlank();
            assertThat(info.component("runc")).get().asString().isNotBlank();
        }
    }

    // ---- listing

    @BothEngines.Test
    void listingShowsDanglingImagesAndSharedSizesAsDockerSystemDfDoes() throws Exception {
        FixtureImage base = base("list-base");
        Layer shared = images.layer(l -> l.randomFile("shared.bin", 7_000, 2));
        FixtureImage app1 = base.child(FixtureImages.unique("list-app1")).layer("COPY app1", l -> l.randomFile("a1", 3_000, 3));
        FixtureImage app2 = base.child(FixtureImages.unique("list-app2")).layer("COPY app2", l -> l.randomFile("a2", 5_000, 4));
        FixtureImage other = images.image(FixtureImages.unique("list-other")).layer("ADD shared", shared)
                .layer("COPY other", l -> l.randomFile("o", 1_000, 5));
        FixtureImage dangling = images.image(FixtureImages.unique("list-dangling")).layer("ADD shared", shared)
                .layer("COPY d", l -> l.randomFile("d", 2_000, 6));
        long diskBefore = store.diskUsage().orElseThrow();
        engine.load(base, app1, app2, other);
        engine.loadUntagged(dangling);
        engine.createContainer(app1.reference(), "/nothing");

        // Disk use counts each layer once (docker system df's SIZE; Podman's /system/df says 0 and
        // podman system df adds up the images' sizes): the new images' sizes as the engine reports
        // them, less the base layer for app1 and app2 and the shared layer for the dangling image.
        long newImages = java.util.stream.Stream.of(base, app1, app2, other, dangling)
                .mapToLong(image -> Long.parseLong(engine.dockerOk("image", "inspect", "--format", "{{.Size}}",
                        image.imageId()).out().trim())).sum();
        long layersOnce = newImages - 2 * historyLayerSize(base, "ADD base") - historyLayerSize(other, "ADD shared");
        assertThat(store.diskUsage().orElseThrow() - diskBefore).as("disk use grew by each new layer once")
                .isEqualTo(layersOnce);

        List<ImageSummary> listed = store.listImages();
        Map<Digest, ImageSummary> byId = listed.stream().collect(Collectors.toMap(ImageSummary::id, Function.identity()));
        // what the window and df ask for: both from one answer, the same as asked apart
        io.gantry.engine.ImageStore.Listing both = store.listWithDiskUsage();
        assertThat(both.images()).containsExactlyInAnyOrderElementsOf(listed);
        assertThat(both.diskUsage()).isEqualTo(store.diskUsage());

        ImageSummary danglingSummary = byId.get(Digest.of(dangling.imageId()));
        assertThat(danglingSummary.dangling()).isTrue();
        assertThat(danglingSummary.repoTags()).isEmpty();
        assertThat(byId.get(Digest.of(app1.imageId())).repoTags()).containsExactly(engine.loadedName(app1));
        assertThat(byId.get(Digest.of(app1.imageId())).containers()).isEqualTo(1);
        assertThat(byId.get(Digest.of(app1.imageId())).created()).isEqualTo(FixtureImages.DEFAULT_CREATED);

        // The base layer is shared by base, app1 and app2; the "shared" layer by other and dangling.
        // Docker's SIZE is its layers; Podman's adds the image's own metadata (config, manifest),
        // which no other image shares, so there UNIQUE keeps those bytes.
        long baseLayers = historyLayerSize(base, "ADD base");
        assertThat(byId.get(Digest.of(base.imageId())).sharedSize()).isEqualTo(baseLayers);
        if (engine.kind() == EnginePeer.Kind.DOCKERD) {
            assertThat(byId.get(Digest.of(base.imageId())).uniqueSize()).isZero();
        }
        assertThat(byId.get(Digest.of(app1.imageId())).sharedSize()).isEqualTo(baseLayers);
        assertThat(byId.get(Digest.of(app1.imageId())).uniqueSize()).isPositive();
        long sharedLayer = historyLayerSize(other, "ADD shared");
        assertThat(byId.get(Digest.of(other.imageId())).sharedSize()).isEqualTo(sharedLayer);
        assertThat(byId.get(Digest.of(dangling.imageId())).sharedSize()).isEqualTo(sharedLayer);

        if (engine.kind() == EnginePeer.Kind.PODMAN) {
            // Podman's own CLI (docker system df on it reads the broken /system/df): sizes and containers.
            JsonNode podmanImages = json.readTree(((PodmanPeer) engine).podmanOk("images", "--format", "json").out());
            int checked = 0;
            for (JsonNode row : podmanImages) {
                ImageSummary mine = byId.get(EngineJson.imageId(row.path("Id").asText()));
                assertThat(mine).as("image %s listed by podman images", row.path("Id").asText()).isNotNull();
                assertThat(mine.size()).isEqualTo(row.path("Size").asLong());
                assertThat(mine.containers()).isEqualTo(row.path("Containers").asInt());
                checked++;
            }
            assertThat(checked).isGreaterThanOrEqualTo(5);
            return;
        }
        // The same daemon, through the docker CLI: every image's sizes and container count.
        JsonNode df = json.readTree(engine.dockerOk("system", "df", "-v", "--format", "{{json .}}").out());
        int rows = 0;
        for (JsonNode row : df.path("Images")) {
            ImageSummary mine = byId.get(Digest.of(row.path("ID").asText()));
            assertThat(mine).as("image %s listed by docker system df -v", row.path("ID").asText()).isNotNull();
            assertThat(EngineStores.goHumanSize(mine.size(), 3)).isEqualTo(row.path("Size").asText());
            assertThat(EngineStores.goHumanSize(mine.sharedSize(), 4)).isEqualTo(row.path("SharedSize").asText());
            assertThat(EngineStores.goHumanSize(mine.uniqueSize(), 4)).isEqualTo(row.path("UniqueSize").asText());
            assertThat(mine.containers()).isEqualTo(row.path("Containers").asInt());
            String tag = row.path("Tag").asText();
            if (tag.equals("<none>")) {
                assertThat(mine.repoTags()).isEmpty();
            } else {
                assertThat(mine.repoTags()).contains(row.path("Repository").asText() + ":" + tag);
            }
            rows++;
        }
        assertThat(rows).as("docker system df -v prints one row per tag").isGreaterThanOrEqualTo(listed.size());
    }

    private long historyLayerSize(FixtureImage image, String createdBy) {
        return store.history(ImageKey.parse(image.reference())).stream().filter(h -> h.createdBy().equals(createdBy))
                .mapToLong(HistoryEntry::size).findFirst().orElseThrow();
    }

    // ---- inspect, history, containers, children

    @BothEngines.Test
    void inspectShowsConfigLayersPlatformAndStorageDriver() {
        FixtureImage image = base("inspect").layer("COPY app", l -> l.file("app/main", "v1"))
                .env("APP_MODE", "test").entrypoint("/app/main").cmd("--serve").workingDir("/app").user("1000")
                .label("org.example.team", "gantry");
        engine.load(image);
        // Exposed ports: docker commit --change adds them (the fixture builder has no EXPOSE).
        String container = engine.createContainer(image.reference());
        String exposedRef = FixtureImages.unique("inspect-exposed") + ":1";
        engine.commit(container, exposedRef, "EXPOSE 8080/tcp", "EXPOSE 53/udp");

        ImageDetails details = store.inspect(ImageKey.parse(image.reference()));

        assertThat(details.id()).isEqualTo(Digest.of(image.imageId()));
        assertThat(details.repoTags()).containsExactly(engine.loadedName(image));
        assertThat(details.platform()).contains(Platform.of("linux", "amd64"));
        assertThat(details.created()).isEqualTo(FixtureImages.DEFAULT_CREATED);
        assertThat(details.config().env()).contains("APP_MODE=test");
        assertThat(details.config().entrypoint()).containsExactly("/app/main");
        assertThat(details.config().cmd()).containsExactly("--serve");
        assertThat(details.config().workingDir()).contains("/app");
        assertThat(details.config().user()).contains("1000");
        assertThat(details.config().labels()).containsEntry("org.example.team", "gantry");
        assertThat(details.diffIds()).extracting(Digest::toString).containsExactlyElementsOf(image.diffIds());
        assertThat(details.parent()).isEmpty();
        // vfs keeps no per-image driver data (overlay2 would give LowerDir, UpperDir, MergedDir, WorkDir).
        assertThat(details.storageDriver()).isEqualTo("vfs");
        assertThat(details.storageData()).isEmpty();

        ImageDetails committed = store.inspect(ImageKey.parse(exposedRef));
        assertThat(committed.config().exposedPorts()).containsExactly("53/udp", "8080/tcp");
        assertThat(committed.parent()).contains(details.id());
        assertThat(store.children(details.id())).containsExactly(committed.id());
    }

    @BothEngines.Test
    void inspectOfAMissingImageIsNotFound() {
        assertThatThrownBy(() -> store.inspect(ImageKey.parse(FixtureImages.unique("missing") + ":1")))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                    assertThat(e.httpStatus()).hasValue(404);
                });
        assertThatThrownBy(() -> store.inspect(ImageKey.parse("bad name?x")))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
    }

    @BothEngines.Test
    void historyIsNewestFirstWithLayerSizes() {
        FixtureImage image = base("history").emptyLayer("ENV A=1").layer("COPY two", l -> l.randomFile("two", 4_000, 9));
        engine.load(image);

        List<HistoryEntry> history = store.history(ImageKey.parse(image.reference()));

        assertThat(history).extracting(HistoryEntry::createdBy).containsExactly("COPY two", "ENV A=1", "ADD base");
        assertThat(history.get(0).imageId()).contains(Digest.of(image.imageId()));
        assertThat(history.get(0).tags()).containsExactly(engine.loadedName(image));
        assertThat(history.get(0).size()).isGreaterThanOrEqualTo(4_000);
        assertThat(history.get(1).size()).isZero();
        assertThat(history.get(2).imageId()).isEmpty();
        assertThat(history.get(2).created()).isEqualTo(FixtureImages.DEFAULT_CREATED);
    }

    @BothEngines.Test
    void layersPairDiffIdsWithTheHistoryStepsThatMadeThemAndNameNoBlob() {
        FixtureImage image = base("layers").emptyLayer("ENV A=1").layer("COPY two", l -> l.randomFile("two", 4_000, 9));
        engine.load(image);

        List<ImageLayer> layers = store.layers(ImageKey.parse(image.reference()));

        assertThat(layers).extracting(l -> l.diffId().toString())
                .containsExactlyElementsOf(image.layers().stream().map(Layer::diffId).toList());
        assertThat(layers).extracting(ImageLayer::createdBy).containsExactly("ADD base", "COPY two");
        // an engine keeps unpacked layers, no blobs: the blob is not the diff ID in disguise
        assertThat(layers).allSatisfy(l -> assertThat(l.blob()).isEmpty());
        List<HistoryEntry> history = store.history(ImageKey.parse(image.reference()));
        assertThat(layers.get(1).size()).isEqualTo(history.get(0).size()).isGreaterThanOrEqualTo(4_000);
        assertThat(layers.get(0).size()).isEqualTo(history.get(2).size());
        assertThat(store.layers(ImageKey.parse(image.imageId()))).isEqualTo(layers);
        assertThat(store.localImages()).filteredOn(i -> i.id().equals(Digest.of(image.imageId())))
                .singleElement().satisfies(i -> assertThat(i.layers()).isEqualTo(layers));
    }

    @BothEngines.Test
    void taggingGivesAnImageAnotherNameAsDockerTagDoes() {
        FixtureImage image = base("tagging");
        engine.load(image);
        String target = FixtureImages.unique("tagged") + ":2";

        store.tag(ImageKey.parse(image.reference()), ImageReference.parse(target));

        assertThat(store.inspect(ImageKey.parse(target)).id()).isEqualTo(Digest.of(image.imageId()));
        assertThat(store.inspect(ImageKey.parse(image.reference())).repoTags()).contains(target, engine.loadedName(image));
        assertThat(engine.docker("image", "inspect", target).succeeded()).isTrue();
        assertThatThrownBy(() -> store.tag(ImageKey.parse(FixtureImages.unique("absent") + ":1"), ImageReference.parse(target)))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(store.capabilities().tag()).isTrue();
    }

    @BothEngines.Test
    void containerSizesAreTheirWritableLayers() {
        FixtureImage busybox = busybox("bb-sizes");
        engine.load(busybox);
        String writer = engine.createContainer(busybox.reference(), "/bin/sh", "-c", "head -c 100000 /dev/zero > /written");
        engine.dockerOk("start", "-a", writer);
        String idle = engine.createContainer(busybox.reference());

        Map<String, Long> sizes = store.containerSizes().orElseThrow();

        assertThat(sizes).as(writer).containsKey(writer);
        assertThat(sizes.get(writer)).isBetween(100_000L, 100_000L + 64 * 1024);
        assertThat(sizes.get(idle)).isLessThan(64 * 1024L);
    }

    @BothEngines.Test
    void containersRunningAndStoppedAreListedWithTheirImage() {
        FixtureImage busybox = busybox("bb-containers");
        engine.load(busybox);
        String stopped = engine.createContainer(busybox.reference());
        String running = engine.runContainer(busybox.reference());

        List<ContainerRef> using = store.containersUsing(Digest.of(busybox.imageId()));

        assertThat(using).extracting(ContainerRef::id).containsExactly(running, stopped);
        assertThat(using.get(0).state()).isEqualTo(ContainerRef.State.RUNNING);
        assertThat(using.get(0).running()).isTrue();
        assertThat(using.get(1).state()).isEqualTo(ContainerRef.State.CREATED);
        assertThat(using.get(1).running()).isFalse();
        assertThat(using).allSatisfy(c -> {
            assertThat(c.image()).isEqualTo(engine.loadedName(busybox));
            assertThat(c.name()).isNotBlank().doesNotStartWith("/");
            assertThat(c.created()).isAfter(Instant.now().minusSeconds(600));
        });
    }

    // ---- delete: untag versus delete

    @BothEngines.Test
    void removingOneOfSeveralTagsOnlyUntags() {
        FixtureImage image = base("untag");
        engine.load(image);
        String second = FixtureImages.unique("untag-second") + ":2";
        engine.dockerOk("tag", image.reference(), second);

        DeleteResult first = store.delete(ImageKey.parse(image.reference()), false);

        assertThat(first.refused()).isFalse();
        assertThat(first.lines()).containsExactly(DeleteLine.untagged(engine.loadedName(image)));
        assertThat(first.imageDeleted()).isFalse();
        assertThat(store.inspect(ImageKey.parse(second)).id()).isEqualTo(Digest.of(image.imageId()));

        DeleteResult last = store.delete(ImageKey.parse(second), false);

        assertThat(last.lines().get(0)).isEqualTo(DeleteLine.untagged(second));
        assertThat(last.lines().get(1)).isEqualTo(DeleteLine.deleted(image.imageId()));
        if (engine.kind() == EnginePeer.Kind.PODMAN) {
            assertThat(last.lines()).as("Podman reports no layers").hasSize(2);
        } else {
            assertThat(last.lines()).hasSize(2 + image.layers().size());
            assertThat(last.lines().subList(2, last.lines().size())).extracting(DeleteLine::toString)
                    .allMatch(line -> line.startsWith("Deleted: sha256:"));
        }
        assertThatThrownBy(() -> store.inspect(ImageKey.parse(image.imageId()))).isInstanceOf(GantryException.class);
    }

    @BothEngines.Test
    void deletingAMissingImageIsNotFound() {
        assertThatThrownBy(() -> store.delete(ImageKey.parse(FixtureImages.unique("nothing") + ":1"), false))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    // ---- delete conflicts, one per rule

    @BothEngines.Test
    void stoppedContainerNeedsForce() {
        FixtureImage image = base("stopped");
        engine.load(image);
        String container = engine.createContainer(image.reference(), "/nothing");
        Digest id = Digest.of(image.imageId());

        DeleteResult byName = store.delete(ImageKey.parse(image.reference()), false);
        assertConflict(byName, DeleteConflict.Kind.REFERENCE_IN_USE, id);
        assertThat(byName.conflict().get().containers()).extracting(ContainerRef::id).containsExactly(container);
        assertThat(byName.conflict().get().forcible()).isTrue();

        DeleteResult byId = store.delete(ImageKey.parse(image.imageId()), false);
        assertConflict(byId, DeleteConflict.Kind.STOPPED_CONTAINER, id);
        assertThat(byId.conflict().get().containers()).extracting(ContainerRef::id).containsExactly(container);
        assertThat(byId.conflict().get().forcible()).isTrue();
        assertThat(store.inspect(ImageKey.parse(image.reference())).id()).isEqualTo(id);

        DeleteResult forced = store.delete(ImageKey.parse(image.imageId()), true);
        assertThat(forced.refused()).isFalse();
        assertThat(forced.lines()).containsExactly(DeleteLine.untagged(engine.loadedName(image)), DeleteLine.deleted(id.toString()));
        if (engine.kind() == EnginePeer.Kind.PODMAN) {
            // Podman's forced delete removes the stopped container with the image.
            assertThat(engine.docker("container", "inspect", container).succeeded()).isFalse();
        } else {
            // The stopped container still holds the layers, so only the image record goes.
            assertThat(engine.containerStatus(container)).isEqualTo("created");
        }
    }

    @BothEngines.Test
    void runningContainerBlocksEvenWithForceAndForceByNameOnlyUntags() {
        FixtureImage busybox = busybox("bb-running");
        engine.load(busybox);
        String container = engine.runContainer(busybox.reference());
        Digest id = Digest.of(busybox.imageId());

        DeleteResult forcedById = store.delete(ImageKey.parse(busybox.imageId()), true);
        assertConflict(forcedById, DeleteConflict.Kind.RUNNING_CONTAINER, id);
        assertThat(forcedById.conflict().get().forcible()).isFalse();
        assertThat(forcedById.conflict().get().containers()).extracting(ContainerRef::id).containsExactly(container);

        DeleteResult notForcedByName = store.delete(ImageKey.parse(busybox.reference()), false);
        assertConflict(notForcedByName, DeleteConflict.Kind.REFERENCE_IN_USE, id);

        DeleteResult forcedByName = store.delete(ImageKey.parse(busybox.reference()), true);
        if (engine.kind() == EnginePeer.Kind.PODMAN) {
            // Podman would stop and remove the container; Gantry refuses as for a delete by ID.
            assertConflict(forcedByName, DeleteConflict.Kind.RUNNING_CONTAINER, id);
            assertThat(store.inspect(ImageKey.parse(busybox.imageId())).repoTags())
                    .containsExactly(engine.loadedName(busybox));
        } else {
            assertThat(forcedByName.refused()).isFalse();
            assertThat(forcedByName.lines()).containsExactly(DeleteLine.untagged(busybox.reference()));
            ImageDetails left = store.inspect(ImageKey.parse(busybox.imageId()));
            assertThat(left.repoTags()).as("the image stays, dangling, for its running container").isEmpty();
        }
        assertThat(engine.containerStatus(container)).isEqualTo("running");
    }

    @BothEngines.Test
    void childImagesBlockEvenWithForce() {
        FixtureImage image = base("parent");
        engine.load(image);
        String container = engine.createContainer(image.reference(), "/nothing");
        String childRef = FixtureImages.unique("child") + ":1";
        Digest child = Digest.of(engine.commit(container, childRef));
        engine.dockerOk("rm", container);
        Digest id = Digest.of(image.imageId());

        for (boolean force : new boolean[] {false, true}) {
            DeleteResult result = store.delete(ImageKey.parse(image.imageId()), force);
            assertConflict(result, DeleteConflict.Kind.DEPENDENT_CHILDREN, id);
            assertThat(result.conflict().get().forcible()).isFalse();
            assertThat(result.conflict().get().children()).containsExactly(child);
        }
        assertThat(store.inspect(ImageKey.parse(image.reference())).id()).isEqualTo(id);
    }

    @BothEngines.Test
    void severalRepositoriesNeedForceToDeleteById() {
        FixtureImage image = base("multi");
        engine.load(image);
        String other = FixtureImages.unique("multi-other") + ":1";
        engine.dockerOk("tag", image.reference(), other);
        Digest id = Digest.of(image.imageId());

        DeleteResult refused = store.delete(ImageKey.parse(image.imageId()), false);
        assertConflict(refused, DeleteConflict.Kind.MULTIPLE_REFERENCES, id);
        assertThat(refused.conflict().get().references()).containsExactlyInAnyOrder(engine.loadedName(image), other);
        assertThat(refused.conflict().get().forcible()).isTrue();

        DeleteResult forced = store.delete(ImageKey.parse(image.imageId()), true);
        assertThat(forced.untagged()).containsExactlyInAnyOrder(engine.loadedName(image), other);
        assertThat(forced.lines()).contains(DeleteLine.deleted(id.toString()));
    }

    private static void assertConflict(DeleteResult result, DeleteConflict.Kind kind, Digest imageId) {
        assertThat(result.refused()).as("refused: %s", result).isTrue();
        assertThat(result.lines()).isEmpty();
        DeleteConflict conflict = result.conflict().orElseThrow();
        assertThat(conflict.kind()).isEqualTo(kind);
        assertThat(conflict.imageId()).isEqualTo(imageId);
        assertThat(conflict.engineMessage()).isNotBlank();
        System.out.println("delete conflict " + kind + " from HTTP 409: " + conflict.engineMessage());
    }

    // ---- live events

    @BothEngines.Test
    void subscriptionSeesATagMadeWithTheCli() throws Exception {
        FixtureImage image = base("events");
        engine.load(image);
        BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();
        CountDownLatch connected = new CountDownLatch(1);
        String newTag = FixtureImages.unique("events-tagged") + ":7";
        try (Subscription ignored = store.subscribe(new StoreEventListener() {
            @Override
            public void onEvent(StoreEvent event) {
                events.add(event);
            }

            @Override
            public void onConnected() {
                connected.countDown();
            }
        })) {
            assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
            engine.dockerOk("tag", image.reference(), newTag);

            StoreEvent tag = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (tag == null && System.nanoTime() < deadline) {
                StoreEvent event = events.poll(1, TimeUnit.SECONDS);
                if (event != null && event.action().equals("tag") && event.attribute("name").equals(newTag)) {
                    tag = event;
                }
            }
            assertThat(tag).as("tag event for %s", newTag).isNotNull();
            assertThat(tag.type()).isEqualTo(StoreEvent.Type.IMAGE);
            assertThat(tag.id()).isEqualTo(image.imageId());
        }
    }
}
