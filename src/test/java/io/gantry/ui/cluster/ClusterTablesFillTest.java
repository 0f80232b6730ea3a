package io.gantry.ui.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.service.ImageTable;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.ui.FxReads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Kubernetes windows' tables (Where, Pre-pull, pull secrets) fill their width, with no empty strip
 * after the last column, when the window is resized after it shows (as the README's pictures are taken)
 * to 900x600, 1200x720 and 1440x900; and at 1440x900 a pod's name is drawn whole beside a long
 * "KUBELET WILL" text. No kube-apiserver can run on these machines: the cluster is fabric8's mock API
 * server in CRUD mode, its nodes and pods created through its client.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
@EnableKubernetesMockClient(crud = true, https = false)
class ClusterTablesFillTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    static Path home;

    private static final String REPOSITORY = FixtureImages.unique("registry.example.com/shop/service");
    private static final String IMAGE = REPOSITORY + ":2.4.3";
    private static final double[][] SIZES = {{900, 600}, {1200, 720}, {1440, 900}};

    private ClusterWindow app;

    @BeforeAll
    static void cluster() {
        // worker-a1 lists the image; worker-a2 lists the kubelet's 50 largest and not it ("not known")
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-a1").endMetadata().withNewStatus()
                .addNewImage().withNames(REPOSITORY + "@sha256:" + "cd".repeat(32), IMAGE).withSizeBytes(418L << 20)
                .endImage().endStatus().build()).create();
        NodeStatusBuilder full = new NodeStatusBuilder();
        for (int i = 0; i < ClusterNode.REPORTED_IMAGES_CAP; i++) {
            full.addNewImage().withNames("registry.example.com/other/big-" + i + ":1").withSizeBytes(1L << 30).endImage();
        }
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-a2").endMetadata()
                .withStatus(full.build()).build()).create();
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("checkout-7d4b9")
                .withNamespace("shop").endMetadata().withNewSpec().withNodeName("worker-a1")
                .addNewImagePullSecret("pull-registry.example.com")
                .addNewContainer().withName("checkout").withImage(IMAGE).endContainer().endSpec().build()).create();
        // Never on a node that cannot tell: "use the node's copy, or fail: ErrImageNeverPull"
        client.pods().inNamespace("batch").resource(new PodBuilder().withNewMetadata().withName("nightly-report-28871")
                .withNamespace("batch").endMetadata().withNewSpec().withNodeName("worker-a2")
                .addNewInitContainer().withName("migrate").withImage(IMAGE).withImagePullPolicy("Never").endInitContainer()
                .addNewContainer().withName("report").withImage("registry.example.com/other/report:3").endContainer()
                .endSpec().build()).create();
    }

    @Start
    void start(Stage stage) throws Exception {
        FixtureImage image = new FixtureImages().image(REPOSITORY).layer("ADD app", l -> l.file("app", "serves"));
        app = ClusterWindow.open(stage, home, ClusterWindow.storeWith(home, new DockerArchive().add(image, IMAGE)),
                ClusterWindow.access(home, server));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void theWhereWindowsTablesFillTheirWidthAndAPodKeepsItsName(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> images = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> images.getItems().size() == 1));
        Set<Node> before = new HashSet<>(robot.lookup("#where-pods").queryAll());
        robot.interact(() -> images.getSelectionModel().select(0));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> robot.lookup("#details-where").tryQuery()
                .map(Node::isVisible).orElse(false)));
        robot.interact(robot.lookup("#details-where").queryAs(javafx.scene.control.Hyperlink.class)::fire);
        TableView<?> pods = opened(robot, "#where-pods", before);
        TableView<?> nodes = (TableView<?>) FxReads.onFx(() -> pods.getScene().lookup("#where-nodes"));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> pods.getItems().size() == 2
                && nodes.getItems().size() == 2));

        List<String> problems = gapsAsOpenedAndAtEverySize(robot, pods, nodes);
        problems.addAll(elided(pods, "POD", SIZES[SIZES.length - 1])); // the window is at the last size, 1440x900
        assertThat(problems).isEmpty();
    }

    @Test
    void thePrePullWindowsTableFillsItsWidth(FxRobot robot) throws Exception {
        ListView<ClusterItem> rail = robot.lookup("#cluster-list").queryListView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> rail.getItems().size() == 1));
        robot.interact(() -> rail.getSelectionModel().select(0));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> robot.lookup("#cluster-prepull").tryQuery()
                .map(Node::isVisible).orElse(false)));
        Set<Node> before = new HashSet<>(robot.lookup("#prepull-nodes").queryAll());
        robot.interact(robot.lookup("#cluster-prepull").queryButton()::fire);
        TableView<?> table = opened(robot, "#prepull-nodes", before);
        robot.interact(() -> {
            ((TextField) table.getScene().lookup("#prepull-image")).setText(IMAGE);
            ((javafx.scene.control.Button) table.getScene().lookup("#prepull-reload")).fire();
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> table.getItems().size() == 2));

        assertThat(gapsAsOpenedAndAtEverySize(robot, table)).isEmpty();
    }

    @Test
    void thePullSecretWindowsTableFillsItsWidth(FxRobot robot) throws Exception {
        ListView<ClusterItem> rail = robot.lookup("#cluster-list").queryListView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> rail.getItems().size() == 1));
        robot.interact(() -> rail.getSelectionModel().select(0));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> robot.lookup("#cluster-secrets").tryQuery()
                .map(Node::isVisible).orElse(false)));
        Set<Node> before = new HashSet<>(robot.lookup("#secret-references").queryAll());
        robot.interact(robot.lookup("#cluster-secrets").queryButton()::fire);
        TableView<?> table = opened(robot, "#secret-references", before);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> table.getItems().size() == 1));

        assertThat(gapsAsOpenedAndAtEverySize(robot, table)).isEmpty();
    }

    /**
     * What is wrong with {@code tables}' columns ({@link #gaps}) in their window as it opened, then
     * resized to each of {@link #SIZES} in turn (it is left at the last).
     */
    private static List<String> gapsAsOpenedAndAtEverySize(FxRobot robot, TableView<?>... tables) throws Exception {
        Window window = FxReads.onFx(() -> tables[0].getScene().getWindow());
        double[] opened = FxReads.onFx(() -> new double[] {window.getWidth(), window.getHeight()});
        List<String> problems = new ArrayList<>();
        for (TableView<?> table : tables) {
            problems.addAll(gaps(table, opened));
        }
        for (double[] size : SIZES) {
            resize(robot, tables[0], size);
            for (TableView<?> table : tables) {
                problems.addAll(gaps(table, size));
            }
        }
        return problems;
    }

    /** The table {@code selector} of the window that opened (not one of {@code before}). */
    private static TableView<?> opened(FxRobot robot, String selector, Set<Node> before) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> robot.lookup(selector).queryAll().stream()
                .anyMatch(n -> !before.contains(n))));
        return (TableView<?>) robot.lookup(selector).queryAll().stream().filter(n -> !before.contains(n))
                .findFirst().orElseThrow();
    }

    /** Resizes {@code table}'s window after it shows, as the README pictures do, and lets it lay out. */
    private static void resize(FxRobot robot, TableView<?> table, double[] size) {
        robot.interact(() -> {
            Window window = table.getScene().getWindow();
            window.setWidth(size[0]);
            window.setHeight(size[1]);
        });
        for (int i = 0; i < 4; i++) {
            WaitForAsyncUtils.waitForFxEvents();
        }
    }

    /** What is wrong with how {@code table}'s columns fill its width: an empty strip, or columns wider than it. */
    private static List<String> gaps(TableView<?> table, double[] size) {
        return FxReads.onFx(() -> {
            double bar = 0;
            boolean across = false;
            for (Node node : table.lookupAll(".scroll-bar")) {
                if (node instanceof ScrollBar scroll && scroll.isVisible()) {
                    if (scroll.getOrientation() == Orientation.VERTICAL) {
                        bar = scroll.getWidth();
                    } else {
                        across = true;
                    }
                }
            }
            double inside = table.getWidth() - table.snappedLeftInset() - table.snappedRightInset() - bar;
            double columns = table.getVisibleLeafColumns().stream().mapToDouble(TableColumn::getWidth).sum();
            List<String> found = new ArrayList<>();
            String where = table.getId() + " at " + (int) size[0] + "x" + (int) size[1] + ": ";
            if (columns < inside - 1) {
                found.add(where + "an empty strip of " + Math.round(inside - columns) + " px after the last column "
                        + widths(table) + " in " + inside);
            }
            if (across) {
                found.add(where + "a horizontal scroll bar " + widths(table) + " in " + inside);
            }
            if (columns > inside + 1) {
                found.add(where + "columns " + Math.round(columns - inside) + " px wider than the table " + widths(table));
            }
            return found;
        });
    }

    private static String widths(TableView<?> table) {
        return table.getVisibleLeafColumns().stream().map(c -> c.getText() + "=" + Math.round(c.getWidth())).toList().toString();
    }

    /** The cells of {@code title}'s column whose text is drawn cut ("…"). */
    private static List<String> elided(TableView<?> table, String title, double[] size) {
        return FxReads.onFx(() -> {
            List<String> found = new ArrayList<>();
            for (Node node : table.lookupAll(".table-cell")) {
                if (node instanceof TableCell<?, ?> cell && cell.getTableColumn() != null
                        && title.equals(cell.getTableColumn().getText()) && cell.getText() != null && !cell.isEmpty()) {
                    Text drawn = (Text) cell.lookup(".text");
                    if (drawn != null && !drawn.getText().equals(cell.getText())) {
                        found.add(title + " at " + (int) size[0] + "x" + (int) size[1] + ": \"" + cell.getText()
                                + "\" drawn as \"" + drawn.getText() + "\" " + widths(table));
                    }
                }
            }
            return found;
        });
    }
}
