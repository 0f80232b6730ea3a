package io.gantry.engine.cluster.fabric8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.PrePullStatus;
import io.gantry.engine.cluster.PrePullStatus.State;
import io.gantry.engine.cluster.PrePuller;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pre-puller DaemonSet applied, followed and deleted against fabric8's mock API server in CRUD
 * mode (no kube-apiserver can run on these machines; the mock stores objects but runs no
 * controller and no kubelet, so the DaemonSet's pods and their statuses are created here as the
 * controller and the kubelet would write them).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class Fabric8PrePullerTest {

    private static final String IMAGE = "registry.example.com/team/app:1.4";

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    private Cluster connect() throws IOException {
        return KubeconfigFilesTest.connectToMock(server, dir);
    }

    private static PrePuller prePuller(String image) {
        return new PrePuller("tools", "prepull-app", image, Map.of("kubernetes.io/os", "linux"), List.of("pull-secret"));
    }

    @Test
    void applyCreatesWhatThePreviewShowsThenReplacesIt() throws IOException {
        try (Cluster cluster = connect()) {
            assertThat(cluster.applyPrePuller(prePuller(IMAGE))).isEqualTo(Cluster.Applied.CREATED);
            DaemonSet created = client.apps().daemonSets().inNamespace("tools").withName("prepull-app").get();
            var pod = created.getSpec().getTemplate().getSpec();
            assertThat(pod.getInitContainers()).singleElement().satisfies(init -> {
                assertThat(init.getImage()).isEqualTo(IMAGE);
                assertThat(init.getImagePullPolicy()).isEqualTo("IfNotPresent");
            });
            assertThat(pod.getContainers()).singleElement().satisfies(main ->
                    assertThat(main.getImage()).isEqualTo(PrePuller.PAUSE_IMAGE));
            assertThat(pod.getNodeSelector()).containsExactly(Map.entry("kubernetes.io/os", "linux"));
            assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("pull-secret");
            assertThat(created.getSpec().getSelector().getMatchLabels()).containsEntry(PrePuller.LABEL, "prepull-app");
            assertThat(created.getSpec()).isEqualTo(PrePullerObjects.daemonSet(prePuller(IMAGE)).getSpec());

            assertThat(cluster.applyPrePuller(prePuller(IMAGE + "-rc1"))).isEqualTo(Cluster.Applied.REPLACED);
            assertThat(client.apps().daemonSets().inNamespace("tools").withName("prepull-app").get().getSpec()
                    .getTemplate().getSpec().getInitContainers().get(0).getImage()).isEqualTo(IMAGE + "-rc1");
        }
    }

    @Test
    void aDaemonSetGantryDidNotMakeIsLeftAlone() throws IOException {
        client.apps().daemonSets().inNamespace("tools").resource(new DaemonSetBuilder().withNewMetadata()
                .withName("prepull-app").withNamespace("tools").endMetadata().withNewSpec().endSpec().build()).create();
        try (Cluster cluster = connect()) {
            for (Runnable change : List.<Runnable>of(() -> cluster.applyPrePuller(prePuller(IMAGE)),
                    () -> cluster.deletePrePuller("tools", "prepull-app"))) {
                assertThatThrownBy(change::run).isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                    assertThat(e.getMessage()).contains("not made by Gantry");
                });
            }
        }
        assertThat(client.apps().daemonSets().inNamespace("tools").withName("prepull-app").get()).isNotNull();
    }

    @Test
    void progressPerNodeFromThePodsInitContainers() throws IOException {
        try (Cluster cluster = connect()) {
            assertThat(cluster.prePullStatus("tools", "prepull-app")).isEmpty();
            cluster.applyPrePuller(prePuller(IMAGE));
            client.apps().daemonSets().inNamespace("tools").withName("prepull-app")
                    .editStatus(ds -> new DaemonSetBuilder(ds).withNewStatus().withDesiredNumberScheduled(5).endStatus().build());
            pod("p-done", "node-a", init -> init.withImageID("sha256:" + "cd".repeat(32)));
            pod("p-noshell", "node-b", init -> init.withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                    .endWaiting().endState());
            pod("p-denied", "node-c", init -> init.withNewState().withNewWaiting().withReason("ImagePullBackOff")
                    .withMessage("Back-off pulling image").endWaiting().endState());
            pod("p-pulling", "node-d", init -> init.withNewState().withNewWaiting().withReason("PodInitializing")
                    .endWaiting().endState());
            client.pods().inNamespace("tools").resource(new PodBuilder().withNewMetadata().withName("p-new")
                    .withNamespace("tools").addToLabels(PrePuller.LABEL, "prepull-app").endMetadata().build()).create();
            client.pods().inNamespace("tools").resource(new PodBuilder().withNewMetadata().withName("unrelated")
                    .withNamespace("tools").addToLabels(PrePuller.LABEL, "other").endMetadata().build()).create();

            PrePullStatus status = cluster.prePullStatus("tools", "prepull-app").orElseThrow();
            assertThat(status.desiredNodes()).isEqualTo(5);
            assertThat(status.pods()).extracting(PrePullStatus.NodePull::node, PrePullStatus.NodePull::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("-", State.PULLING),
                            org.assertj.core.groups.Tuple.tuple("node-a", State.PULLED),
                            org.assertj.core.groups.Tuple.tuple("node-b", State.PULLED),
                            org.assertj.core.groups.Tuple.tuple("node-c", State.FAILED),
                            org.assertj.core.groups.Tuple.tuple("node-d", State.PULLING));
            assertThat(status.pulled()).isEqualTo(2);
            assertThat(status.pods().get(3).detail()).contains("ImagePullBackOff");

            assertThat(cluster.deletePrePuller("tools", "prepull-app")).isTrue();
            assertThat(cluster.deletePrePuller("tools", "prepull-app")).isFalse();
            assertThat(cluster.prePullStatus("tools", "prepull-app")).isEmpty();
        }
    }

    private void pod(String name, String node,
                     java.util.function.UnaryOperator<io.fabric8.kubernetes.api.model.ContainerStatusBuilder> init) {
        client.pods().inNamespace("tools").resource(new PodBuilder().withNewMetadata().withName(name)
                .withNamespace("tools").addToLabels(PrePuller.LABEL, "prepull-app").endMetadata()
                .withNewSpec().withNodeName(node).endSpec().withNewStatus()
                .withInitContainerStatuses(init.apply(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                        .withName(PrePuller.INIT_CONTAINER)).build()).endStatus().build()).create();
    }
}
