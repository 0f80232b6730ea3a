package io.gantry.ui;

import static io.gantry.ui.KeyPresses.keys;
import static io.gantry.ui.KeyPresses.secondary;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.ImageTable;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
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
 * Issue 13, item 15, with the robot's real key presses: Down from the filter selects the first row;
 * Ctrl+T opens the family tree and Esc closes it, Ctrl+K the containers… (here the embedded store,
 * which has none: the key does nothing, as the disabled button); Ctrl+W closes a secondary window;
 * Del opens the delete preview and Return runs its default action.
 *
 * <p>Why the first try of this test timed out: Monocle (headless) reports a newly shown window as
 * focused, but its robot's key input still goes to the main window (both say {@code isFocused()};
 * the family tree's focus owner is its tree), so Esc reached the main window; a click into the new
 * window did not move it either. So keys in the main window come from the robot, keys in a
 * secondary window are fired at that window's focus owner. On a desktop the window manager focuses
 * a new window, and the app asks for it too ({@code Views.closeWithKeys}).
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class KeyboardTest {

    @TempDir
    static Path home;

    private EmbeddedWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        FixtureImages images = new FixtureImages();
        FixtureImage one = images.image("keys/one").bigLayer(30_000, 1);
        FixtureImage two = images.image("keys/two").bigLayer(20_000, 2);
        window = EmbeddedWindow.show(stage, home, new DockerArchive().add(one, "keys/one:1").add(two, "keys/two:1"));
        EmbeddedWindow.place(stage, 1200, 720);
    }

    @AfterEach
    void stop() throws Exception {
        window.close();
    }

    @Test
    void everyActionByKeyboard(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 2);

        robot.clickOn("#image-filter").write("keys/").type(KeyCode.DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table.isFocused()).as("Down moved to the table").isTrue();
        assertThat(table.getSelectionModel().getSelectedIndex()).isZero();
        // Tab into the table with nothing selected: Down selects the first row, not the second
        robot.interact(() -> {
            table.getSelectionModel().clearSelection();
            table.requestFocus();
        });
        robot.type(KeyCode.DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table.getSelectionModel().getSelectedIndex()).as("Down in the table with nothing selected").isZero();

        for (KeyCode[] close : List.of(new KeyCode[] {KeyCode.ESCAPE}, new KeyCode[] {KeyCode.CONTROL, KeyCode.W})) {
            robot.press(KeyCode.CONTROL, KeyCode.T).release(KeyCode.T, KeyCode.CONTROL);
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> secondary(stage).isPresent());
            Window family = secondary(stage).orElseThrow();
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, family::isFocused);
            keys(robot, family, close);
            try {
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> secondary(stage).isEmpty());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("still open: " + family + " focused=" + family.isFocused() + " owner="
                        + family.getScene().getFocusOwner() + " main focused=" + stage.isFocused(), e);
            }
            robot.interact(stage::requestFocus);
        }

        robot.interact(table::requestFocus);
        robot.type(KeyCode.DELETE);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> secondary(stage).isPresent());
        Window preview = secondary(stage).orElseThrow();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, preview::isFocused);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !robot.lookup("#cleanup-run").queryButton().isDisabled());
        keys(robot, preview, KeyCode.ENTER); // the default button: Delete
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 1);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> "Close".equals(robot.lookup("#cleanup-cancel").queryButton().getText()));
        // the result's default button is Close: Return closes it (by hand it stayed open, Delete being gone)
        keys(robot, preview, KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> secondary(stage).isEmpty());
        robot.interact(stage::requestFocus);
        robot.interact(() -> {
            table.requestFocus();
            table.getSelectionModel().select(0);
        });
        robot.type(KeyCode.DELETE);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> secondary(stage).isPresent());
        keys(robot, secondary(stage).orElseThrow(), KeyCode.CONTROL, KeyCode.W);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> secondary(stage).isEmpty());
    }
}
