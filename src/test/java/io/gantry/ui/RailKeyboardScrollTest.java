package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.ImageStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
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
 * Issue 13, items 9 and 15: the endpoint list never scrolls itself (the rail scrolls as a whole), so
 * choosing an entry with the keyboard must scroll the rail to it. With more endpoints than a 900x600
 * rail shows (engines on sockets nothing listens on), End in the list selects the last entry and the
 * rail shows it; Home shows the first again.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class RailKeyboardScrollTest {

    private static final int ENGINES = 12;

    @TempDir
    static Path home;

    private EmbeddedWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        List<ImageStore> engines = new ArrayList<>();
        for (int i = 0; i < ENGINES; i++) {
            engines.add(EmbeddedWindow.engine("docker on dead socket " + i, "unix://" + home.resolve("nothing-" + i + ".sock")));
        }
        window = EmbeddedWindow.withEngines(stage, home, engines.toArray(ImageStore[]::new));
    }

    @AfterEach
    void stop() throws Exception {
        window.close();
    }

    @Test
    void keyboardSelectionScrollsTheRailToTheChosenEntry(FxRobot robot) throws Exception {
        robot.interact(() -> {
            stage.setWidth(900);
            stage.setHeight(600);
        });
        ListView<EndpointItem> list = robot.lookup("#endpoint-list").queryListView();
        ScrollPane rail = robot.lookup("#rail-scroll").queryAs(ScrollPane.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxReads.items(list).size() == ENGINES + 1);
        robot.interact(() -> {
            list.getSelectionModel().select(0);
            stage.getScene().getRoot().layout();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(FxReads.onFx(() -> rail.getContent().getLayoutBounds().getHeight() > rail.getViewportBounds().getHeight()))
                .as("the rail scrolls").isTrue();

        robot.clickOn(cell(robot, list, 0)); // the keys go to the list
        robot.type(KeyCode.END);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(FxReads.onFx(() -> list.getSelectionModel().getSelectedIndex())).isEqualTo(ENGINES);
        assertInView(robot, rail, cell(robot, list, ENGINES));

        robot.type(KeyCode.HOME);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(FxReads.onFx(() -> list.getSelectionModel().getSelectedIndex())).isZero();
        assertInView(robot, rail, cell(robot, list, 0));
    }

    private static ListCell<?> cell(FxRobot robot, ListView<EndpointItem> list, int index) {
        return FxReads.onFx(() -> list.lookupAll(".list-cell").stream()
                .filter(n -> n instanceof ListCell<?> c && c.isVisible() && c.getIndex() == index)
                .map(n -> (ListCell<?>) n).findFirst().orElseThrow());
    }

    /**
     * The rail scrolls on a layout pass after the selection, and the chosen entry may be measured
     * again after that (a loaded machine takes more pulses): waits up to 10 s for it to be in view.
     */
    private static void assertInView(FxRobot robot, ScrollPane rail, Node node) {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> inView(rail, node));
        } catch (java.util.concurrent.TimeoutException e) {
            // the assertion below says where it is
        }
        Bounds[] both = bounds(rail, node);
        assertThat(both[1].getMinY() >= both[0].getMinY() - 0.5 && both[1].getMaxY() <= both[0].getMaxY() + 0.5)
                .as(node + " at " + both[1] + " in view of the rail " + both[0]).isTrue();
    }

    private static boolean inView(ScrollPane rail, Node node) {
        Bounds[] both = bounds(rail, node);
        return both[1].getMinY() >= both[0].getMinY() - 0.5 && both[1].getMaxY() <= both[0].getMaxY() + 0.5;
    }

    private static Bounds[] bounds(ScrollPane rail, Node node) {
        return FxReads.onFx(() -> {
            Node viewport = rail.lookup(".viewport");
            return new Bounds[] {viewport.localToScene(viewport.getLayoutBounds()), node.localToScene(node.getLayoutBounds())};
        });
    }
}
