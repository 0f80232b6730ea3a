package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.ImageTable;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.skin.TableColumnHeader;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
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
 * The images table (issue 13): a header click sorts by the column's value (sizes as bytes, CREATED
 * as time), both ways, and the order survives a refresh and a filter; Copy image ID says "Copied"
 * and the copied {@code sha256:…} pasted in the filter finds the image.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class ImageTableSortTest {

    @TempDir
    static Path home;

    private EmbeddedWindow window;

    @Start
    void start(Stage stage) throws Exception {
        FixtureImages images = new FixtureImages();
        // sizes whose text sorts differently from their bytes: 1.2MB < 300kB < 50kB as strings
        FixtureImage mid = images.image("sort/mid").created(Instant.parse("2020-01-01T00:00:00Z"))
                .bigLayer(300_000, 1);
        FixtureImage small = images.image("sort/small").created(Instant.parse("2024-01-01T00:00:00Z"))
                .bigLayer(50_000, 2);
        FixtureImage big = images.image("sort/big").created(Instant.parse("2022-01-01T00:00:00Z"))
                .bigLayer(1_200_000, 3);
        // TestFX hands every test the same stage; a narrower one hides CREATED (NarrowLayoutTest)
        stage.setWidth(1200);
        stage.setHeight(720);
        window = EmbeddedWindow.show(stage, home,
                new DockerArchive().add(mid, "sort/mid:1").add(small, "sort/small:1").add(big, "sort/big:1"));
    }

    @AfterEach
    void stop() throws Exception {
        window.close();
    }

    @Test
    void headerClicksSortByValueAndTheOrderSurvivesRefreshAndFilter(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 3);

        robot.clickOn(header(robot, "SIZE"));
        assertThat(repositories(table)).containsExactly("sort/small", "sort/mid", "sort/big");
        robot.clickOn(header(robot, "SIZE"));
        assertThat(repositories(table)).containsExactly("sort/big", "sort/mid", "sort/small");

        robot.clickOn("#images-table").type(KeyCode.F5);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#status-bar").queryAs(StatusBar.class)
                .getText().startsWith("Loading"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(repositories(table)).containsExactly("sort/big", "sort/mid", "sort/small");

        robot.clickOn(header(robot, "CREATED"));
        assertThat(repositories(table)).containsExactly("sort/mid", "sort/big", "sort/small");
        robot.interact(() -> robot.lookup("#image-filter").queryAs(TextField.class).setText("sort/"));
        assertThat(repositories(table)).containsExactly("sort/mid", "sort/big", "sort/small");
        robot.interact(() -> robot.lookup("#image-filter").queryAs(TextField.class).setText("i"));
        assertThat(repositories(table)).containsExactly("sort/mid", "sort/big");
        robot.interact(() -> robot.lookup("#image-filter").queryAs(TextField.class).setText("m"));
        assertThat(repositories(table)).containsExactly("sort/mid", "sort/small");
        robot.interact(() -> robot.lookup("#image-filter").queryAs(TextField.class).clear());
    }

    @Test
    void aCopiedIdPastedInTheFilterFindsItsImage(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 3);
        ImageTable.Row big = FxReads.items(table).stream()
                .filter(r -> r.repository().equals("sort/big")).findFirst().orElseThrow();
        javafx.scene.control.ContextMenu menu = RowMenus.show(robot, r -> r == big);
        robot.interact(() -> {
            menu.getItems().stream().filter(item -> "Copy image ID".equals(item.getText())).findFirst().orElseThrow().fire();
            menu.hide();
        });
        String copied = clipboard(robot);
        assertThat(copied).isEqualTo(big.image().id().toString()).startsWith("sha256:");
        assertThat(robot.lookup("#status-bar").queryAs(StatusBar.class).getText()).startsWith("Copied sha256:");

        robot.clickOn("#image-filter").press(KeyCode.CONTROL).type(KeyCode.V).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#image-filter").queryAs(TextField.class).getText()).isEqualTo(copied);
        assertThat(repositories(table)).containsExactly("sort/big");
    }

    private static String clipboard(FxRobot robot) {
        String[] text = new String[1];
        robot.interact(() -> text[0] = Clipboard.getSystemClipboard().getString());
        return text[0];
    }

    private static Node header(FxRobot robot, String title) {
        return robot.lookup(".column-header").match(n -> n instanceof TableColumnHeader h
                && h.getTableColumn() != null && title.equals(h.getTableColumn().getText())).query();
    }

    private static List<String> repositories(TableView<ImageTable.Row> table) {
        WaitForAsyncUtils.waitForFxEvents();
        return FxReads.items(table).stream().map(ImageTable.Row::repository).toList();
    }
}
