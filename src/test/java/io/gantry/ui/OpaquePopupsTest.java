package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Where windows cannot be transparent (an X server without a compositor: Xvfb, VNC, a bare window
 * manager), a popup's drop-shadow margin was painted opaque, a white frame round every dark context
 * menu (issue 13, item 11; seen with xdotool under Xvfb, where JavaFX reports no TRANSPARENT_WINDOW).
 * There the stylesheets leave popups without shadow, so the popup's window is exactly the menu's box.
 * Monocle can show transparent windows, so the test asks for the stylesheets of a system that cannot.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class OpaquePopupsTest {

    private Stage stage;
    private ContextMenu menu;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Theme.DARK.apply();
        Scene scene = new Scene(new StackPane(), 400, 300);
        scene.getStylesheets().addAll(Views.stylesheets(false));
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void light() {
        javafx.application.Platform.runLater(() -> {
            if (menu != null) {
                menu.hide();
            }
            Theme.LIGHT.apply();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void withoutTransparentWindowsAContextMenuFillsItsWindowExactly(FxRobot robot) throws Exception {
        assertThat(Views.stylesheets(true)).noneMatch(s -> s.endsWith("opaque-popups.css"));
        robot.interact(() -> {
            menu = new ContextMenu(new MenuItem("Copy image ID"), new MenuItem("Delete"));
            menu.show(stage.getScene().getRoot(), stage.getX() + 50, stage.getY() + 50);
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxReads.onFx(() -> menu.isShowing()
                && menu.getSkin() != null && menu.getSkin().getNode().getLayoutBounds().getWidth() > 0));
        WaitForAsyncUtils.waitForFxEvents();
        double[] sizes = FxReads.onFx(() -> {
            javafx.scene.Node box = menu.getSkin().getNode();
            return new double[] {menu.getWidth(), menu.getHeight(), box.getLayoutBounds().getWidth(),
                    box.getLayoutBounds().getHeight(), box.getEffect() == null ? 0 : 1};
        });
        assertThat(sizes[4]).as("the menu's drop shadow").isZero();
        assertThat(sizes[0]).as("popup window width against the menu's").isCloseTo(sizes[2],
                org.assertj.core.data.Offset.offset(1.0));
        assertThat(sizes[1]).as("popup window height against the menu's").isCloseTo(sizes[3],
                org.assertj.core.data.Offset.offset(1.0));
    }
}
