package io.gantry.ui.cluster;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.gantry.engine.cluster.fabric8.Fabric8Clusters;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.testing.MockKubeconfig;
import io.gantry.ui.DesktopContext;
import io.gantry.ui.MainWindow;
import io.gantry.ui.Theme;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Pictures of the window's Kubernetes parts (issue 16), light and dark, at 1440x900 and 900x600:
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.gantry.ui.cluster.ClusterScreenshots -Dexec.args=OUT}. No kube-apiserver can
 * run here: the cluster is fabric8's mock API server in CRUD mode with three nodes (the kubelets'
 * summary and configz answers as expectations), the second context a port nothing listens on.
 */
public final class ClusterScreenshots {

    private static final long GIB = 1L << 30;
    /** The mock API server, for the steps that write what a kubelet would. */
    private static KubernetesMockServer SERVER;

    private ClusterScreenshots() {
    }

    /** Two registry logins, as a user's Docker credentials would hold them (for the pull-secret window). */
    private static final io.gantry.engine.EngineCredentials LOGINS = new io.gantry.engine.EngineCredentials() {
        @Override
        public Optional<io.gantry.engine.RegistryLogin> loginFor(String host) {
            return Optional.of(new io.gantry.engine.RegistryLogin(host, "alice", "not-shown", Optional.empty()));
        }

        @Override
        public List<String> registries() {
            return List.of("ghcr.io", "registry.example.com");
        }
    };

    public static void main(String[] args) throws Exception {
        Map.of("testfx.robot", "glass", "testfx.headless", "true", "glass.platform", "Monocle", "monocle.platform",
                "Headless", "headless.geometry", "1920x1200", "prism.order", "sw", "java.awt.headless", "true")
                .forEach((key, value) -> System.setProperty(key, System.getProperty(key, value)));
        Path out = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/screenshots"));
        Path home = Files.createTempDirectory("gantry-cluster-shots");
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init();
        SERVER = server;
        int status = 0;
        try (KubernetesClient client = server.createClient()) {
            demoCluster(server, client);
            Path kubeconfig = Files.writeString(home.resolve("kubeconfig"), MockKubeconfig.yaml("prod",
                    "prod=http://" + server.getHostName() + ":" + server.getPort() + "=shop",
                    "staging-eu=" + MockKubeconfig.refusingUrl()));
            FxToolkit.registerPrimaryStage();
            for (Theme theme : Theme.values()) {
                for (double[] size : List.of(new double[] {1440, 900}, new double[] {900, 600})) {
                    shoot(theme, size[0], size[1], home, kubeconfig, out);
                }
            }
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            status = 1;
        } finally {
            server.destroy();
        }
        System.exit(status);
    }

    private static void demoCluster(KubernetesMockServer server, KubernetesClient client) {
        String[] workers = {"worker-a1", "worker-a2", "worker-b1"};
        long[] available = {9, 46, 71};
        for (int w = 0; w < workers.length; w++) {
            NodeStatusBuilder status = new NodeStatusBuilder()
                    .addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .addNewCondition().withType("DiskPressure").withStatus(w == 0 ? "True" : "False").endCondition()
                    .withNewNodeInfo().withKubeletVersion("v1.33.1").withContainerRuntimeVersion("containerd://1.7.27")
                    .endNodeInfo();
            int count = w == 0 ? 50 : 12 - 4 * w;
            for (int i = 0; i < count; i++) {
                status.addNewImage().withNames("registry.example.com/shop/service-" + i + "@sha256:" + "ab".repeat(32),
                        "registry.example.com/shop/service-" + i + ":2.4." + i).withSizeBytes((420L - 7 * i) << 20)
                        .endImage();
            }
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(workers[w]).endMetadata()
                    .withStatus(status.build()).build()).create();
            server.expect().get().withPath("/api/v1/nodes/" + workers[w] + "/proxy/stats/summary")
                    .andReturn(200, "{\"node\":{\"runtime\":{\"imageFs\":{\"capacityBytes\":" + 100 * GIB
                            + ",\"availableBytes\":" + available[w] * GIB + ",\"usedBytes\":" + (60 - 15 * w) * GIB
                            + "}}}}").always();
        }
        String used = "registry.example.com/shop/service-3:2.4.3";
        client.pods().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("checkout-7d4b9").withNamespace("shop").endMetadata().withNewSpec().withNodeName("worker-a1")
                .addNewContainer().withName("checkout").withImage(used).endContainer().endSpec().build()).create();
        client.pods().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("checkout-7d4b9-x2").withNamespace("shop").endMetadata().withNewSpec().withNodeName("worker-b1")
                .addNewContainer().withName("checkout").withImage(used).endContainer().endSpec().build()).create();
        client.pods().inNamespace("batch").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("nightly-report-28871").withNamespace("batch").endMetadata().withNewSpec()
                .withNodeName("worker-a2").addNewInitContainer().withName("migrate").withImage(used)
                .withImagePullPolicy("Never").endInitContainer().addNewContainer().withName("report")
                .withImage("registry.example.com/shop/report:latest").endContainer().endSpec().build()).create();
        // a pod whose image does not pull: its status and the kubelet's event, as the kubelet writes them
        client.pods().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("checkout-7d4b9-x3").withNamespace("shop").endMetadata().withNewSpec().withNodeName("worker-a2")
                .addNewImagePullSecret("pull-registry.example.com")
                .addNewContainer().withName("checkout").withImage(used).endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName("checkout").withNewState().withNewWaiting()
                .withReason("ImagePullBackOff").withMessage("Back-off pulling image \"" + used + "\"").endWaiting()
                .endState().endContainerStatus().endStatus().build()).create();
        client.v1().events().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata().withName("checkout-7d4b9-x3.1").withNamespace("shop").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("checkout-7d4b9-x3").withNamespace("shop")
                .endInvolvedObject().withReason("Failed").withLastTimestamp("2026-12-06T20:00:00Z")
                .withMessage("Failed to pull image \"" + used + "\": failed to authorize: unexpected status: "
                        + "401 Unauthorized").build()).create();
        client.serviceAccounts().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("default").withNamespace("shop").endMetadata()
                .addNewImagePullSecret("pull-old").build()).create();
        server.expect().get().withPath("/api/v1/nodes/worker-a2/proxy/configz").andReturn(200,
                "{\"kubeletconfig\":{\"imageGCHighThresholdPercent\":75,\"imageGCLowThresholdPercent\":60}}").always();
    }

    private static void shoot(Theme theme, double width, double height, Path home, Path kubeconfig, Path out)
            throws Exception {
        String suffix = "-" + theme.name().toLowerCase() + "-" + (int) width + "x" + (int) height;
        ExecutorService executor = Executors.newCachedThreadPool();
        OciLayoutStore store = OciLayoutStore.open(Files.createDirectories(home.resolve("store" + suffix)));
        store.load(new io.gantry.testing.DockerArchive().add(new io.gantry.testing.FixtureImages()
                .image("registry.example.com/shop/service-3").layer("ADD app", l -> l.file("app", "serves")),
                "registry.example.com/shop/service-3:2.4.3").writeTo(home.resolve("image" + suffix + ".tar")));
        EndpointCatalog catalog = new EndpointCatalog(List.of(store));
        SettingsStore settings = new SettingsStore(home.resolve("settings" + suffix + ".json"));
        DesktopContext base = new DesktopContext(catalog, executor, settings);
        Stage stage = FxToolkit.registerPrimaryStage();
        onFx(() -> {
            theme.apply();
            stage.setWidth(width);
            stage.setHeight(height);
            MainWindow.open(stage, new DesktopContext(catalog, executor, settings, base.browser(), base.updates(),
                    base.engines(), base.pulls(), Optional.empty(), Optional.of(ClusterAccess.of(
                            new Fabric8Clusters(Map.of("KUBECONFIG", kubeconfig.toString()), home), LOGINS))));
            stage.setWidth(width);
            stage.setHeight(height);
            return null;
        });
        ListView<?> rail = onFx(() -> (ListView<?>) stage.getScene().lookup("#cluster-list"));
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> onFx(() -> rail.getItems().size() == 2));
        onFx(() -> {
            rail.getSelectionModel().select(0);
            return null;
        });
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> onFx(() -> {
            TableView<?> nodes = (TableView<?>) stage.getScene().lookup("#cluster-nodes");
            return nodes != null && nodes.getItems().size() == 3
                    && nodes.getItems().stream().noneMatch(row -> ((NodeRow) row).reading());
        }));
        write(stage, out.resolve("cluster-nodes" + suffix + ".png"));
        prePull(stage, width, height, suffix, out);
        // the pull-secret window: one registry ticked, previewed
        onFx(() -> {
            ((javafx.scene.control.Button) stage.getScene().lookup("#cluster-secrets")).fire();
            return null;
        });
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> window("#secret-registries").isPresent());
        Stage secrets = window("#secret-registries").orElseThrow();
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> onFx(() -> ((ListView<?>) secrets.getScene()
                .lookup("#secret-registries")).getItems().size() == 2 && ((TableView<?>) secrets.getScene()
                .lookup("#secret-references")).getItems().size() == 2));
        onFx(() -> {
            secrets.setWidth(Math.min(960, width));
            secrets.setHeight(Math.min(620, height));
            secrets.getScene().getRoot().lookupAll(".check-box").stream().skip(1).findFirst()
                    .map(n -> (javafx.scene.control.CheckBox) n).orElseThrow().fire();
            ((javafx.scene.control.TextField) secrets.getScene().lookup("#secret-service-account")).setText("default");
            ((javafx.scene.control.Button) secrets.getScene().lookup("#secret-preview")).fire();
            return null;
        });
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> onFx(() -> !((javafx.scene.control.TextArea) secrets
                .getScene().lookup("#secret-yaml")).getText().isEmpty()));
        write(secrets, out.resolve("cluster-secrets" + suffix + ".png"));
        onFx(() -> {
            ((javafx.scene.control.TabPane) secrets.getScene().lookup("#secret-tabs")).getSelectionModel().select(1);
            return null;
        });
        write(secrets, out.resolve("cluster-secret-refs" + suffix + ".png"));
        onFx(() -> {
            secrets.hide();
            return null;
        });
        // the pull-policy preview for a pod of the cluster
        onFx(() -> {
            ((javafx.scene.control.Button) stage.getScene().lookup("#cluster-policy")).fire();
            return null;
        });
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> window("#policy-rows").isPresent());
        Stage policy = window("#policy-rows").orElseThrow();
        onFx(() -> {
            ((javafx.scene.control.TextField) policy.getScene().lookup("#policy-pod")).setText("checkout-7d4b9");
            ((javafx.scene.control.Button) policy.getScene().lookup("#policy-decide")).fire();
            return null;
        });
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> onFx(() -> ((TableView<?>) policy.getScene()
                .lookup("#policy-rows")).getItems().size() == 1));
        onFx(() -> {
            policy.setWidth(Math.min(1000, width));
            policy.setHeight(Math.min(640, height));
            return null;
        });
        write(policy, out.resolve("cluster-policy" + suffix + ".png"));
        onFx(() -> {
            policy.hide();
            return null;
        });
        onFx(() -> {
            rail.getSelectionModel().select(1);
            return null;
        });
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> onFx(() -> stage.getScene().lookup("#cluster-error") != null));
        write(stage, out.resolve("cluster-dead" + suffix + ".png"));
        // "Where is this image?" from the image's menu, in the cluster chosen last
        onFx(() -> {
            rail.getSelectionModel().select(0);
            return null;
        });
        onFx(() -> {
            ((ListView<?>) stage.getScene().lookup("#endpoint-list")).getSelectionModel().select(0);
            return null;
        });
        TableView<?> images = onFx(() -> (TableView<?>) stage.getScene().lookup("#images-table"));
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> onFx(() -> images.getItems().size() == 1
                && images.lookup(".table-row-cell") != null));
        // from the image's details: the Kubernetes line
        onFx(() -> {
            images.getSelectionModel().select(0);
            return null;
        });
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> onFx(() -> stage.getScene().lookup("#details-where") != null
                && stage.getScene().lookup("#details-where").isVisible()));
        write(stage, out.resolve("cluster-details" + suffix + ".png"));
        onFx(() -> {
            ((javafx.scene.control.Hyperlink) stage.getScene().lookup("#details-where")).fire();
            return null;
        });
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> whereWindow().map(w -> {
            try {
                return onFx(() -> ((TableView<?>) w.getScene().lookup("#where-pods")).getItems().size() == 4);
            } catch (Exception e) {
                return false;
            }
        }).orElse(false));
        Stage where = whereWindow().orElseThrow();
        onFx(() -> {
            where.setWidth(Math.min(1000, width));
            where.setHeight(Math.min(620, height));
            return null;
        });
        write(where, out.resolve("cluster-where" + suffix + ".png"));
        // why the failing pod's image does not pull
        onFx(() -> {
            @SuppressWarnings("unchecked")
            TableView<io.gantry.engine.cluster.ImageWhereabouts.PodUse> pods =
                    (TableView<io.gantry.engine.cluster.ImageWhereabouts.PodUse>) where.getScene().lookup("#where-pods");
            pods.getSelectionModel().select(pods.getItems().stream().filter(u -> u.pod().name().equals("checkout-7d4b9-x3"))
                    .findFirst().orElseThrow());
            ((javafx.scene.control.Button) where.getScene().lookup("#where-explain")).fire();
            return null;
        });
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> window("#why-failures").map(w -> {
            try {
                return onFx(() -> ((javafx.scene.control.Label) w.getScene().lookup("#why-status")).getText()
                        .endsWith("does not pull."));
            } catch (Exception e) {
                return false;
            }
        }).orElse(false));
        Stage why = window("#why-failures").orElseThrow();
        write(why, out.resolve("cluster-why" + suffix + ".png"));
        onFx(() -> {
            why.hide();
            where.hide();
            stage.hide();
            return null;
        });
        executor.shutdownNow();
        catalog.close();
    }

    /**
     * "Pre-pull…" from the cluster's view: an image typed in, its preview, then Apply followed while one
     * node's pod has pulled it (written here as the kubelet would) and another's is still pulling; then Stop.
     */
    private static void prePull(Stage stage, double width, double height, String suffix, Path out) throws Exception {
        String image = "registry.example.com/shop/checkout:3.1";
        onFx(() -> {
            ((javafx.scene.control.Button) stage.getScene().lookup("#cluster-prepull")).fire();
            return null;
        });
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> window("#prepull-nodes").isPresent());
        Stage prePull = window("#prepull-nodes").orElseThrow();
        onFx(() -> {
            prePull.setWidth(Math.min(1040, width));
            prePull.setHeight(Math.min(700, height));
            ((javafx.scene.control.TextField) prePull.getScene().lookup("#prepull-image")).setText(image);
            ((javafx.scene.control.Button) prePull.getScene().lookup("#prepull-reload")).fire();
            return null;
        });
        @SuppressWarnings("unchecked")
        TableView<PrePullViewModel.NodeChoice> nodes = onFx(() -> (TableView<PrePullViewModel.NodeChoice>)
                prePull.getScene().lookup("#prepull-nodes"));
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> onFx(() -> nodes.getItems().size() == 3));
        onFx(() -> {
            nodes.getItems().get(0).chosenProperty().set(false);
            ((javafx.scene.control.Button) prePull.getScene().lookup("#prepull-preview")).fire();
            return null;
        });
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> onFx(() -> !((javafx.scene.control.TextArea) prePull
                .getScene().lookup("#prepull-yaml")).getText().isEmpty()));
        write(prePull, out.resolve("cluster-prepull-preview" + suffix + ".png"));
        onFx(() -> {
            ((javafx.scene.control.Button) prePull.getScene().lookup("#prepull-apply")).fire();
            return null;
        });
        String daemonSet = io.gantry.engine.cluster.PrePuller.defaultName(image);
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> onFx(() -> ((javafx.scene.control.Label) prePull.getScene()
                .lookup("#prepull-status")).getText().startsWith("Created") || ((javafx.scene.control.Label) prePull
                .getScene().lookup("#prepull-status")).getText().startsWith("Replaced")));
        try (KubernetesClient client = SERVER.createClient()) {
            client.pods().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                    .withName(daemonSet + "-x7k2p").withNamespace("shop").addToLabels(
                            io.gantry.engine.cluster.PrePuller.LABEL, daemonSet).endMetadata().withNewSpec()
                    .withNodeName("worker-a2").endSpec().withNewStatus().addNewInitContainerStatus()
                    .withName(io.gantry.engine.cluster.PrePuller.INIT_CONTAINER).withImageID("sha256:" + "ef".repeat(32))
                    .endInitContainerStatus().endStatus().build()).createOr(existing -> existing.update());
        }
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> onFx(() -> nodes.getItems().get(1).stateProperty().get()
                == PrePullViewModel.State.HAS_IT));
        write(prePull, out.resolve("cluster-prepull-progress" + suffix + ".png"));
        onFx(() -> {
            ((javafx.scene.control.Button) prePull.getScene().lookup("#prepull-stop")).fire();
            return null;
        });
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> onFx(() -> ((javafx.scene.control.Label) prePull.getScene()
                .lookup("#prepull-status")).getText().contains("Stopped")));
        onFx(() -> {
            prePull.hide();
            return null;
        });
    }

    private static java.util.Optional<Stage> whereWindow() throws Exception {
        return window("#where-pods");
    }

    private static java.util.Optional<Stage> window(String selector) throws Exception {
        return onFx(() -> javafx.stage.Window.getWindows().stream().filter(w -> w.isShowing() && w.getScene() != null
                && w.getScene().lookup(selector) != null).map(w -> (Stage) w).findFirst());
    }

    private static void write(Stage stage, Path file) throws Exception {
        for (int i = 0; i < 3; i++) {
            WaitForAsyncUtils.waitForFxEvents();
        }
        Image image = onFx(() -> stage.getScene().snapshot(null));
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] pixels = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), pixels, 0, w);
        BufferedImage picture = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        picture.setRGB(0, 0, w, h, pixels, 0, w);
        ImageIO.write(picture, "png", file.toFile());
        System.out.println("wrote " + file);
    }

    private static <T> T onFx(Callable<T> work) throws Exception {
        return WaitForAsyncUtils.asyncFx(work).get(30, TimeUnit.SECONDS);
    }
}
