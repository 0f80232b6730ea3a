package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.PullRequest;
import io.gantry.service.ImageTable;
import io.gantry.service.settings.Settings;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 13, item 9: the first start fits the screen; at 900x600 the images table shows at least six
 * whole rows; the pull panel is resizable and its height is remembered across restarts like the
 * rail's width.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class WindowLayoutTest {

    private static final int IMAGES = 10;

    @TempDir
    static Path home;

    private EmbeddedWindow window;
    private EmbeddedWindow restarted;
    private Stage stage;
    private DockerArchive archive;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        FixtureImages images = new FixtureImages();
        archive = new DockerArchive();
        for (int i = 0; i < IMAGES; i++) {
            String name = FixtureImages.unique("layout/app" + i);
            archive.add(images.image(name).bigLayer(10_000 + i, i), name + ":1");
        }
        window = EmbeddedWindow.show(stage, home, archive);
    }

    @AfterEach
    void stop() throws Exception {
        if (restarted != null) {
            restarted.close();
        }
        window.close();
    }

    @Test
    void theFirstStartFitsTheScreenAnd900x600ShowsSixRows(FxRobot robot) throws Exception {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        assertThat(stage.getX()).isGreaterThanOrEqualTo(screen.getMinX());
        assertThat(stage.getY()).isGreaterThanOrEqualTo(screen.getMinY());
        assertThat(stage.getX() + stage.getWidth()).isLessThanOrEqualTo(screen.getMaxX());
        assertThat(stage.getY() + stage.getHeight()).isLessThanOrEqualTo(screen.getMaxY());
        assertThat(stage.getWidth()).as("the default width, the screen has room").isEqualTo(WindowPlacement.DEFAULT_WIDTH);

        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> table.getItems().size() == IMAGES);
        resize(robot, 900, 600);

        assertThat(wholeRows(table)).as("whole rows at 900x600").isGreaterThanOrEqualTo(6);
    }

    @Test
    void thePullPanelIsResizableAndItsHeightIsRemembered(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> table.getItems().size() == IMAGES);
        resize(robot, 1200, 720);
        SplitPane split = robot.lookup("#pull-split").queryAs(SplitPane.class);
        assertThat(split.getItems()).as("no room is kept for the hidden panel").hasSize(1);

        // a pull that fails at once (nothing listens on port 1) leaves its card, so the panel shows
        robot.interact(() -> window.parts().pulls().pull(window.store(),
                PullRequest.of(FixtureImages.unique("127.0.0.1:1/layout/none") + ":1")));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> split.getItems().size() == 2);
        Node panel = split.getItems().get(1);
        assertThat(panel.getId()).isEqualTo("pull-panel");
        assertThat(panel.isVisible()).isTrue();
        layout(robot);
        assertThat(panel.getBoundsInParent().getHeight()).as("the default height")
                .isCloseTo(MainController.DEFAULT_PULL_PANEL_HEIGHT, org.assertj.core.data.Offset.offset(12.0));
        assertThat(wholeRows(table)).as("whole rows at 1200x720 with the pull panel open").isGreaterThanOrEqualTo(4);

        double chosen = 150;
        robot.interact(() -> split.setDividerPosition(0, 1 - chosen / split.getHeight())); // what dragging does
        layout(robot);
        assertThat(panel.getBoundsInParent().getHeight()).isCloseTo(chosen, org.assertj.core.data.Offset.offset(8.0));
        robot.interact(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));

        Settings saved = window.settings().load();
        assertThat(saved.window()).isPresent();
        assertThat(saved.window().get().pullPanelHeight()).isCloseTo(chosen, org.assertj.core.data.Offset.offset(8.0));

        // the next start opens it at that height
        Stage second = WaitForAsyncUtils.asyncFx(() -> {
            Stage other = new Stage();
            restarted = EmbeddedWindow.show(other, home, archive, window.settings());
            return other;
        }).get(30, TimeUnit.SECONDS);
        robot.interact(() -> restarted.parts().pulls().pull(restarted.store(),
                PullRequest.of(FixtureImages.unique("127.0.0.1:1/layout/none") + ":1")));
        SplitPane secondSplit = robot.from(second.getScene().getRoot()).lookup("#pull-split").queryAs(SplitPane.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> secondSplit.getItems().size() == 2);
        Node secondPanel = secondSplit.getItems().get(1);
        robot.interact(() -> second.getScene().getRoot().layout());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(secondPanel.getBoundsInParent().getHeight()).as("after a restart")
                .isCloseTo(chosen, org.assertj.core.data.Offset.offset(8.0));
        robot.interact(second::close);
    }

    /** The table's rows with an image that are drawn whole between its header and its bottom edge. */
    private static long wholeRows(TableView<ImageTable.Row> table) {
        Node header = table.lookup(".column-header-background");
        double top = header.localToScene(header.getBoundsInLocal()).getMaxY();
        double bottom = table.localToScene(table.getBoundsInLocal()).getMaxY();
        return table.lookupAll(".table-row-cell").stream()
                .filter(n -> n instanceof TableRow<?> row && row.getItem() != null && row.isVisible())
                .map(n -> n.localToScene(n.getBoundsInLocal()))
                .filter((Bounds b) -> b.getMinY() >= top - 0.5 && b.getMaxY() <= bottom + 0.5)
                .count();
    }

    private void resize(FxRobot robot, double width, double height) {
        robot.interact(() -> {
            stage.setWidth(width);
            stage.setHeight(height);
        });
        layout(robot);
    }

    private void layout(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> stage.getScene().getRoot().layout());
        WaitForAsyncUtils.waitForFxEvents();
    }
}
