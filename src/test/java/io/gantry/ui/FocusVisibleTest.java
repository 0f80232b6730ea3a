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
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
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
 * Issue 13, item 15: where the keyboard is shows, in both themes. Tab walks the main window from the
 * search field round to it again; each Tab stop is drawn differently while it has the focus than
 * after Tab moves on. By hand under Xvfb (xdotool, 1200x720, light) the toolbar's flat buttons, the
 * rail's list, the selected filter button and the images table showed nothing while focused.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class FocusVisibleTest {

    @TempDir
    static Path home;

    private EmbeddedWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        FixtureImage one = new FixtureImages().image("focus/one").bigLayer(10_000, 5);
        window = EmbeddedWindow.show(stage, home, new DockerArchive().add(one, "focus/one:1"));
        EmbeddedWindow.place(stage, 1200, 720);
    }

    @AfterEach
    void stop() throws Exception {
        robotTheme(Theme.LIGHT);
        window.close();
    }

    @Test
    void everyTabStopShowsItHasTheFocusInBothThemes(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.items(table).size() == 1);
        for (Theme theme : List.of(Theme.LIGHT, Theme.DARK)) {
            walk(robot, theme);
        }
    }

    /**
     * The same with the image chosen and its Layers tab showing (walked by hand at 900x600 in dark,
     * session 18): the layers table, Analyse files, Only changes and the file tree are Tab stops too.
     */
    @Test
    void everyTabStopOfTheLayersViewShowsItHasTheFocusInBothThemes(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.items(table).size() == 1);
        robot.interact(() -> table.getSelectionModel().select(0));
        javafx.scene.control.TabPane tabs = robot.lookup("#details-tabs").queryAs(javafx.scene.control.TabPane.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxReads.onFx(() -> tabs.isVisible() && tabs.getTabs().size() > 1));
        robot.interact(() -> tabs.getSelectionModel().select(1));
        WaitForAsyncUtils.waitForFxEvents();
        for (Theme theme : List.of(Theme.LIGHT, Theme.DARK)) {
            walk(robot, theme);
        }
    }

    /** Tab from the search field round to it again: each stop is drawn differently with the focus than after. */
    private void walk(FxRobot robot, Theme theme) throws Exception {
        robotTheme(theme);
        robot.interact(stage::requestFocus);
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        Node search = FxReads.onFx(() -> stage.getScene().getFocusOwner());
        assertThat(search.getId()).isEqualTo("search-field");
        List<String> unseen = new ArrayList<>();
        List<String> met = new ArrayList<>();
        Node owner = search;
        for (int i = 0; i < 40; i++) {
            Node focused = owner;
            WritableImage with = FxReads.onFx(() -> focused.snapshot(null, null));
            robot.type(KeyCode.TAB);
            WaitForAsyncUtils.waitForFxEvents();
            WritableImage without = FxReads.onFx(() -> focused.snapshot(null, null));
            String name = name(focused);
            met.add(name);
            if (same(with, without)) {
                unseen.add(name);
            }
            owner = FxReads.onFx(() -> stage.getScene().getFocusOwner());
            if (owner == search) {
                break;
            }
        }
        assertThat(owner).as(theme + ": Tab came round to the search field: " + met).isSameAs(search);
        assertThat(unseen).as(theme + ": Tab stops drawn the same with and without the focus, of " + met).isEmpty();
    }

    /**
     * Walked by hand at 900x600 in dark (session 18): with an image chosen, Tab from the images table
     * goes to the details' tabs (Left and Right switch them) and nothing showed it. The tab header is
     * drawn differently while the tabs have the focus than after Tab moves on.
     */
    @Test
    void theDetailsTabsShowTheyHaveTheFocusInBothThemes(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = KeyPresses.chooseTheOnlyImage(robot, stage);
        for (Theme theme : List.of(Theme.LIGHT, Theme.DARK)) {
            robotTheme(theme);
            robot.interact(table::requestFocus);
            robot.type(KeyCode.TAB);
            WaitForAsyncUtils.waitForFxEvents();
            Node tabs = FxReads.onFx(() -> stage.getScene().getFocusOwner());
            assertThat(tabs.getId()).as(theme + ": Tab from the table").isEqualTo("details-tabs");
            Node header = FxReads.onFx(() -> tabs.lookup(".tab-header-area"));
            // on the tab chosen first, then on the next one, chosen with Right
            for (String tab : List.of("Details", "Layers")) {
                if (tab.equals("Layers")) {
                    robot.press(KeyCode.SHIFT, KeyCode.TAB).release(KeyCode.TAB, KeyCode.SHIFT); // back to the tabs
                    WaitForAsyncUtils.waitForFxEvents();
                    assertThat(FxReads.onFx(() -> stage.getScene().getFocusOwner())).as(theme + ": Shift+Tab").isSameAs(tabs);
                    robot.type(KeyCode.RIGHT);
                    WaitForAsyncUtils.waitForFxEvents();
                    assertThat(FxReads.onFx(() -> stage.getScene().getFocusOwner())).as(theme + ": Right").isSameAs(tabs);
                    assertThat(FxReads.onFx(() -> ((javafx.scene.control.TabPane) tabs).getSelectionModel().getSelectedItem()
                            .getText())).isEqualTo(tab);
                }
                WritableImage with = FxReads.onFx(() -> header.snapshot(null, null));
                robot.type(KeyCode.TAB);
                WaitForAsyncUtils.waitForFxEvents();
                assertThat(FxReads.onFx(() -> stage.getScene().getFocusOwner())).isNotSameAs(tabs);
                WritableImage without = FxReads.onFx(() -> header.snapshot(null, null));
                assertThat(same(with, without)).as(theme + ", " + tab + ": the tabs' header drawn the same with and "
                        + "without the focus").isFalse();
            }
            robot.interact(() -> ((javafx.scene.control.TabPane) tabs).getSelectionModel().select(0));
        }
    }

    private static void robotTheme(Theme theme) {
        WaitForAsyncUtils.waitForAsyncFx(10_000, theme::apply);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static String name(Node node) {
        String text = node instanceof javafx.scene.control.Labeled labeled ? labeled.getText() : null;
        return node.getClass().getSimpleName() + (node.getId() != null ? "#" + node.getId() : "")
                + (text != null && !text.isEmpty() ? "(" + text + ")" : "");
    }

    private static boolean same(WritableImage a, WritableImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        PixelReader ra = a.getPixelReader();
        PixelReader rb = b.getPixelReader();
        for (int y = 0; y < (int) a.getHeight(); y++) {
            for (int x = 0; x < (int) a.getWidth(); x++) {
                if (ra.getArgb(x, y) != rb.getArgb(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }
}
