package io.gantry.ui;

import java.util.List;
import java.util.Optional;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** The keyboard GUI tests' keys, sent through a window's scene, and the secondary window they open or close. */
final class KeyPresses {

    private KeyPresses() {
    }

    /**
     * Presses and releases {@code keys} in {@code window}: the key events go to its focus owner through
     * its scene (accelerators, default button, handlers), as the keyboard's would; see {@link KeyboardTest}'s class comment
     * for why not through Monocle's robot.
     */
    static void keys(FxRobot robot, Window window, KeyCode... keys) {
        boolean control = java.util.Arrays.asList(keys).contains(KeyCode.CONTROL);
        KeyCode key = keys[keys.length - 1];
        robot.interact(() -> {
            javafx.scene.Scene scene = window.getScene();
            javafx.event.EventTarget target = scene.getFocusOwner() != null ? scene.getFocusOwner() : scene;
            for (javafx.event.EventType<javafx.scene.input.KeyEvent> type
                    : List.of(javafx.scene.input.KeyEvent.KEY_PRESSED, javafx.scene.input.KeyEvent.KEY_RELEASED)) {
                javafx.event.Event.fireEvent(target, new javafx.scene.input.KeyEvent(type, "", "", key, false, control,
                        false, false));
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /**
     * Chooses the images table's only row with keys alone, as a user does: once the listing shows it,
     * Ctrl+L (the filter) then Down. Returns the table.
     */
    static javafx.scene.control.TableView<io.gantry.service.ImageTable.Row> chooseTheOnlyImage(FxRobot robot, Stage stage)
            throws java.util.concurrent.TimeoutException {
        javafx.scene.control.TableView<io.gantry.service.ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(60, java.util.concurrent.TimeUnit.SECONDS, () -> FxReads.items(table).size() == 1);
        robot.interact(stage::requestFocus);
        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);
        robot.type(KeyCode.DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        return table;
    }

    /** The secondary window showing besides {@code main}, once the FX events so far are handled. */
    static Optional<Window> secondary(Window main) {
        WaitForAsyncUtils.waitForFxEvents();
        return List.copyOf(Window.getWindows()).stream()
                .filter(w -> w != main && w instanceof Stage && w.isShowing()).findFirst();
    }
}
