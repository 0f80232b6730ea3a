package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.ImageTable;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.TableView;
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
 * Issue 13, item 15: Tab walks the main window as it reads, top left to bottom right: from the
 * search field through the toolbar to the rail's endpoints, then the filter, the In use / Unused /
 * Dangling choice and the images table, and Shift+Tab walks back; the status bar is no Tab stop.
 * Keys from the robot (the main window has the focus, see {@link KeyboardTest}).
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class TabOrderTest {

    @TempDir
    static Path home;

    private EmbeddedWindow window;

    @Start
    void start(Stage stage) throws Exception {
        FixtureImage one = new FixtureImages().image("tab/one").bigLayer(10_000, 4);
        window = EmbeddedWindow.show(stage, home, new DockerArchive().add(one, "tab/one:1"));
        EmbeddedWindow.place(stage, 1200, 720);
    }

    @AfterEach
    void stop() throws Exception {
        window.close();
    }

    @Test
    void tabWalksTheWindowAsItReads(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> table.getItems().size() == 1);
        robot.clickOn("#search-field");

        List<String> forward = walk(robot, KeyCode.TAB);
        List<String> expected = List.of("search-field", "endpoint-list", "image-filter", "images-table");
        assertThat(forward).as("Tab from the search field").containsSubsequence(expected);
        assertThat(forward.indexOf("images-table")).as("the table within a few Tabs: " + forward).isLessThan(16);
        // the status bar only says things: it was a Tab stop after the table, where Tab seemed to do nothing
        assertThat(forward).as("Tab stops").doesNotContain("status-bar");

        List<String> back = walk(robot, KeyCode.SHIFT, KeyCode.TAB);
        assertThat(back).as("Shift+Tab from where Tab ended").containsSubsequence(List.of("images-table", "image-filter", "endpoint-list", "search-field"));
    }

    /** The ids of the focus owners met on 20 presses of {@code keys}, starting with the one focused now. */
    private static List<String> walk(FxRobot robot, KeyCode... keys) throws Exception {
        List<String> met = new ArrayList<>();
        met.add(focused(robot));
        for (int i = 0; i < 20; i++) {
            robot.press(keys).release(keys);
            WaitForAsyncUtils.waitForFxEvents();
            met.add(focused(robot));
        }
        return met;
    }

    /** The id of the focus owner or of its nearest ancestor with one (a table's cell, a field's skin). */
    private static String focused(FxRobot robot) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            Node node = robot.listWindows().stream().filter(w -> w.isFocused()).findFirst()
                    .map(w -> w.getScene().getFocusOwner()).orElse(null);
            while (node != null && node.getId() == null) {
                node = node.getParent();
            }
            return node == null ? "-" : node.getId();
        }).get(30, TimeUnit.SECONDS);
    }
}
