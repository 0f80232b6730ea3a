package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Rectangle2D;
import javafx.stage.Popup;
import javafx.stage.PopupWindow;
import javafx.stage.Screen;
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
 * Issue 13, item 12: the error toast lies wholly on the screen when the window fills it from
 * (0,0) (at 1440x900 it was partly off screen), also with a long message (an engine's error with
 * its action), whose lines wrap.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class ToastTest {

    @TempDir
    static Path home;

    private EmbeddedWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        Rectangle2D screen = Screen.getPrimary().getBounds();
        window = EmbeddedWindow.showEmpty(stage, home);
        // after opening: the window opens inside the screen's visual bounds
        EmbeddedWindow.place(stage, screen.getWidth(), screen.getHeight());
    }

    @AfterEach
    void stop() throws Exception {
        // the toast must not outlive this test (the stage is shared)
        org.testfx.api.FxToolkit.setupFixture(() -> List.copyOf(Window.getWindows()).stream()
                .filter(w -> w instanceof PopupWindow).forEach(Window::hide));
        window.close();
    }

    @Test
    void theToastIsWhollyOnScreen(FxRobot robot) throws Exception {
        String detail = "connect to registry registry.example.internal:5000 at https://registry.example.internal:5000/"
                + " and http://registry.example.internal:5000/: cannot connect (registry.example.internal:5000):"
                + " Connection refused while listing the tags of team/a-rather-long-repository-name";
        robot.interact(() -> MainWindow.notify(stage, new ErrorMessages.Message("Could not search", detail,
                "Check that registry.example.internal:5000 is reachable from this machine, then try again.")));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> toast() != null && toast().getWidth() > 0);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> {
            Window t = toast();
            return t != null && t.getOpacity() >= 0.99; // faded in
        });
        Rectangle2D screen = Screen.getPrimary().getBounds();
        try { // it slides into place when other toasts move
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> toast().getY() + toast().getHeight() <= screen.getMaxY()
                    && toast().getX() >= screen.getMinX());
        } catch (java.util.concurrent.TimeoutException e) {
            // the assertions below say where it is
        }
        Window toast = toast();
        String where = "toast at " + toast.getX() + "," + toast.getY() + " " + toast.getWidth() + "x" + toast.getHeight()
                + "; window at " + stage.getX() + "," + stage.getY() + " " + stage.getWidth() + "x" + stage.getHeight();
        assertThat(toast.getX()).as("left edge; " + where).isGreaterThanOrEqualTo(screen.getMinX());
        assertThat(toast.getY()).as("top edge; " + where).isGreaterThanOrEqualTo(screen.getMinY());
        assertThat(toast.getX() + toast.getWidth()).as("right edge; " + where).isLessThanOrEqualTo(screen.getMaxX());
        assertThat(toast.getY() + toast.getHeight()).as("bottom edge; " + where).isLessThanOrEqualTo(screen.getMaxY());
        assertThat(toast.getWidth()).as("a toast, not a banner across the screen").isLessThan(700);
    }

    private static Window toast() {
        return List.copyOf(Window.getWindows()).stream()
                .filter(w -> w instanceof Popup && w.isShowing()).findFirst().orElse(null);
    }
}
