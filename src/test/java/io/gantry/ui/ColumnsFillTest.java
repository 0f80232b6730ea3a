package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.ImageTable;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Orientation;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
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
 * Issue 13, item 9: the columns size to their content and still fill the table. The screenshot walk
 * at 1440x900 (the window sized as it opens, short names such as {@code demo/busybox}) showed about
 * 290 px of empty table after CONTAINERS: REPOSITORY got only its widest name, and the resize policy
 * spreads the width only when the table's width changes. What the content leaves goes to REPOSITORY.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class ColumnsFillTest {

    @TempDir
    static Path home;

    private EmbeddedWindow window;

    @Start
    void start(Stage stage) throws Exception {
        FixtureImages images = new FixtureImages();
        DockerArchive archive = new DockerArchive()
                .add(images.image("demo/base").bigLayer(1_000_000, 1), "demo/base:12")
                .add(images.image("demo/web").bigLayer(1_000_001, 2), "demo/web:1.1");
        window = EmbeddedWindow.show(stage, home, archive);
        // as the walk opens it: sized right after it is shown, before the images are read
        EmbeddedWindow.place(stage, 1440, 900);
    }

    @AfterEach
    void stop() throws Exception {
        window.close();
    }

    @Test
    void shortNamesStillFillTheTableAt1440x900(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxReads.items(table).size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> table.getScene().getRoot().layout());
        WaitForAsyncUtils.waitForFxEvents();
        double[] room = FxReads.onFx(() -> {
            double columns = table.getVisibleLeafColumns().stream().mapToDouble(TableColumn::getWidth).sum();
            double bar = table.lookupAll(".scroll-bar").stream().filter(n -> n instanceof ScrollBar b
                    && b.getOrientation() == Orientation.VERTICAL && b.isVisible())
                    .mapToDouble(n -> ((ScrollBar) n).getWidth()).sum();
            return new double[] {columns, table.getWidth() - table.snappedLeftInset() - table.snappedRightInset() - bar};
        });
        String widths = FxReads.onFx(() -> table.getVisibleLeafColumns().stream()
                .map(c -> c.getText() + "=" + Math.round(c.getWidth())).toList().toString());
        assertThat(room[0]).as("the columns' widths " + widths + " in a table " + room[1] + " px wide")
                .isGreaterThanOrEqualTo(room[1] - 2).isLessThanOrEqualTo(room[1] + 1);
    }
}
