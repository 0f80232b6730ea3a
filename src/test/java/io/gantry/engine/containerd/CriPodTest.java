package io.gantry.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.KeptImage;
import io.gantry.engine.NodeImageCache;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.service.ImageCleanup;
import io.gantry.testing.ContainerdExtension;
import io.gantry.testing.ContainerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pod run through the real containerd's CRI (host networking, the sandbox image made of the
 * host's static busybox and served by the harness registry): its containers named by the CRI's
 * runtime service, and the node's clean-up rules: an image a running pod container uses, and the
 * configured sandbox image, are refused with the reason; a prune leaves both, and its result
 * equals its preview.
 */
@Tag("peer")
@ExtendWith({ContainerdExtension.class, RegistryExtension.class})
class CriPodTest {

    private final FixtureImages images = new FixtureImages();

    @Test
    void aRunningPodsImagesAndTheSandboxImageAreKeptAndNamed(ContainerdPeer containerd, RegistryPeer registry) {
        String sandboxId = containerd.provideSandboxImage(registry);
        containerd.trustRegistry(registry.hostPort());
        FixtureImage app = images.busybox(FixtureImages.unique("pod-app"))
                .layer("ADD id", l -> l.file("etc/hostname", "app\n"));
        FixtureImage unused = images.image(FixtureImages.unique("pod-unused")).layer("ADD u", l -> l.file("u", "u"));
        registry.pusher().push(app);
        registry.pusher().push(unused);
        String ref = app.reference(registry.hostPort());
        String sandbox = ImageReference.parse(ContainerdPeer.SANDBOX_IMAGE).familiar();
        String pod = FixtureImages.unique("web");

        try (ContainerdStore store = ContainerdStore.open("containerd", containerd.socket(), "k8s.io", Optional.empty(),
                EngineCredentials.anonymous())) {
            store.pullToNode(ImageReference.parse(ref), p -> { }, Cancellation.none());
            store.pullToNode(ImageReference.parse(unused.reference(registry.hostPort())), p -> { }, Cancellation.none());
            try (CriPod running = CriPod.run(containerd, "team", pod)) {
                String containerId = running.start("app", ref, "/bin/busybox", "sleep", "3600");

                List<ContainerRef> containers = store.containers();
                assertThat(containers).filteredOn(c -> c.id().equals(containerId)).singleElement()
                        .satisfies(c -> {
                            assertThat(c.name()).isEqualTo("team/" + pod + "/app");
                            assertThat(c.running()).isTrue();
                            assertThat(c.imageId()).isEqualTo(Digest.of(app.imageId()));
                        });
                assertThat(containers).filteredOn(c -> c.id().equals(running.sandboxId())).singleElement()
                        .satisfies(c -> {
                            assertThat(c.name()).isEqualTo("team/" + pod + " (pod sandbox)");
                            assertThat(c.running()).isTrue();
                            assertThat(c.imageId()).isEqualTo(Digest.of(sandboxId));
                        });
                assertThat(containerd.ctrOk("k8s.io", "tasks", "ls").stdout()).contains(containerId, "RUNNING");

                List<KeptImage> kept = store.keptImages();
                assertThat(kept).extracting(KeptImage::id).containsExactly(Digest.of(sandboxId));
                assertThat(kept.get(0).reason()).contains("sandbox", sandbox);

                // by ID: by its tag it would only be untagged (it also has its repo@digest name), as docker rmi does
                DeleteResult usedByPod = store.delete(ImageKey.parse(app.imageId()), true);
                assertThat(usedByPod.conflict()).isPresent();
                DeleteConflict conflict = usedByPod.conflict().get();
                System.out.println("delete of a running pod's image: " + conflict.engineMessage());
                assertThat(conflict.kind()).isEqualTo(DeleteConflict.Kind.RUNNING_CONTAINER);
                assertThat(conflict.engineMessage()).contains("team/" + pod + "/app");

                DeleteResult sandboxDelete = store.delete(ImageKey.parse(sandbox), true);
                assertThat(sandboxDelete.conflict()).isPresent();
                System.out.println("delete of the sandbox image: " + sandboxDelete.conflict().get().engineMessage());
                assertThat(sandboxDelete.conflict().get().engineMessage()).contains("pod sandbox", sandbox);
                assertThat(sandboxDelete.conflict().get().forcible()).isFalse();

                ImageCleanup.DeletePreview preview = new ImageCleanup().previewDelete(store,
                        List.of(DeleteTarget.reference(sandbox)));
                assertThat(preview.plan(true).refusals()).as("the window's preview refuses it too").hasSize(1);
                assertThat(containerd.ctrOk("k8s.io", "images", "ls", "-q").lines())
                        .contains(ref, ContainerdPeer.SANDBOX_IMAGE);

                PruneResult planned = store.prune(PruneMode.ALL_UNUSED, true);
                assertThat(planned.imagesDeleted()).contains(Digest.of(unused.imageId()))
                        .doesNotContain(Digest.of(app.imageId()), Digest.of(sandboxId));
                PruneResult pruned = store.prune(PruneMode.ALL_UNUSED, false);
                assertThat(pruned.lines()).isEqualTo(planned.lines());
                assertThat(pruned.spaceReclaimed()).isEqualTo(planned.spaceReclaimed());
                assertThat(containerd.ctrOk("k8s.io", "images", "ls", "-q").lines())
                        .contains(ref, ContainerdPeer.SANDBOX_IMAGE)
                        .doesNotContain(unused.reference(registry.hostPort()));

                NodeImageCache node = store.nodeImageCache();
                assertThat(node.images()).filteredOn(i -> i.id().equals(app.imageId())).singleElement()
                        .satisfies(i -> assertThat(i.usedBy()).containsExactly("team/" + pod + "/app"));
            }
        }
    }

    /**
     * The configured sandbox image with no pod running, so nothing uses it and only Gantry's own rule
     * can keep it. containerd 1.6 (Debian's 1.6.20 here) does not pin it: the CRI lists it unpinned and
     * unused, which is what the kubelet's garbage collection would remove (containerd 1.7 pins it).
     * Gantry refuses to delete it all the same, by its configured name, by its record name and by ID,
     * forced or not, says why, and a prune of everything unused leaves it.
     */
    @Test
    void theSandboxImageIsKeptByGantryThoughContainerd16DoesNotPinIt(ContainerdPeer containerd,
                                                                    RegistryPeer registry) {
        String sandboxId = containerd.provideSandboxImage(registry);
        String sandbox = ImageReference.parse(ContainerdPeer.SANDBOX_IMAGE).familiar();
        try (ContainerdStore store = ContainerdStore.open("containerd", containerd.socket(), "k8s.io")) {
            assertThat(store.containersUsing(Digest.of(sandboxId))).as("no pod runs: nothing uses the sandbox image")
                    .isEmpty();

            NodeImageCache.NodeImage seen = store.nodeImageCache().images().stream()
                    .filter(i -> i.id().equals(sandboxId)).findFirst().orElseThrow();
            assertThat(seen.usedBy()).isEmpty();
            if (containerd.version().startsWith("1.6.")) {
                assertThat(seen.pinned()).as("containerd " + containerd.version() + " pins no sandbox image").isFalse();
                assertThat(seen.collectable()).as("so the kubelet's collection could remove it").isTrue();
            } else {
                assertThat(seen.pinned()).as("containerd " + containerd.version() + " pins the sandbox image").isTrue();
            }

            assertThat(store.keptImages()).filteredOn(k -> k.id().equals(Digest.of(sandboxId))).singleElement()
                    .satisfies(k -> assertThat(k.reason()).contains("sandbox_image", sandbox));
            for (String key : List.of(sandbox, ContainerdPeer.SANDBOX_IMAGE, sandboxId)) {
                for (boolean force : List.of(false, true)) {
                    DeleteResult refused = store.delete(ImageKey.parse(key), force);
                    assertThat(refused.conflict()).as("delete %s (force %s)", key, force).isPresent();
                    assertThat(refused.conflict().get().forcible()).isFalse();
                    assertThat(refused.conflict().get().engineMessage()).contains("pod sandbox (pause) image");
                }
            }
            PruneResult planned = store.prune(PruneMode.ALL_UNUSED, true);
            assertThat(planned.imagesDeleted()).doesNotContain(Digest.of(sandboxId));
            assertThat(containerd.ctrOk("k8s.io", "images", "ls", "-q").lines()).contains(ContainerdPeer.SANDBOX_IMAGE);
        }
    }
}
