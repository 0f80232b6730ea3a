package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.ImageTable;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Orientation;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.skin.TableColumnHeader;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 13, item 9 (seen by the screenshot walk in the dark theme at 900x600): with more images than
 * the table shows, the columns end where the vertical scroll bar begins, in both themes and at the
 * three window sizes, so the CONTAINERS figures are not drawn under the bar; sorted by any column,
 * every header still reads whole.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class ColumnsClearScrollBarTest {

    private static final int IMAGES = 14;

    @TempDir
    static Path home;

    private static DockerArchive archive;

    private EmbeddedWindow window;
    private Stage stage;

    @BeforeAll
    static void images() {
        FixtureImages images = new FixtureImages();
        archive = new DockerArchive();
        for (int i = 0; i < IMAGES; i++) {
            String name = FixtureImages.unique("many");
            FixtureImage image = images.image(name).layer(l -> l.file("f", name));
            archive.add(image, name + ":latest");
        }
    }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        window = EmbeddedWindow.show(stage, home, archive);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(Theme.LIGHT::apply).get(30, TimeUnit.SECONDS);
        window.close();
    }

    @Test
    void theLastColumnEndsWhereTheScrollBarBeginsInBothThemes(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> table.getItems().size() == IMAGES);
        for (Theme theme : List.of(Theme.DARK, Theme.LIGHT)) {
            for (double[] size : new double[][] {{900, 600}, {1200, 720}, {1440, 900}}) {
                robot.interact(() -> {
                    theme.apply();
                    stage.setWidth(size[0]);
                    stage.setHeight(size[1]);
                });
                WaitForAsyncUtils.waitForFxEvents();
                robot.interact(() -> stage.getScene().getRoot().layout());
                WaitForAsyncUtils.waitForFxEvents();
                String at = theme + " " + (int) size[0] + "x" + (int) size[1];
                double[] edges = WaitForAsyncUtils.asyncFx(() -> edges(table)).get(30, TimeUnit.SECONDS);
                assertThat(edges[1]).as("a vertical scroll bar shows at " + at).isGreaterThan(0);
                assertThat(edges[0]).as("the columns' right edge against the scroll bar's left edge at " + at)
                        .isLessThanOrEqualTo(edges[1]);
                for (TableColumn<ImageTable.Row, ?> column : List.copyOf(table.getVisibleLeafColumns())) {
                    if (column.getText() == null || column.getText().isEmpty()) {
                        continue;
                    }
                    robot.interact(() -> table.getSortOrder().setAll(column)); // its arrow must not cut its title
                    robot.interact(() -> stage.getScene().getRoot().layout());
                    edges = WaitForAsyncUtils.asyncFx(() -> edges(table)).get(30, TimeUnit.SECONDS);
                    assertThat(edges[0]).as("the columns' right edge, sorted by " + column.getText() + ", at " + at + ": "
                            + widths(table))
                            .isLessThanOrEqualTo(edges[1]);
                    for (TableColumn<ImageTable.Row, ?> shown : List.copyOf(table.getVisibleLeafColumns())) {
                        if (shown.getText() != null && !shown.getText().isEmpty()) {
                            assertThat(drawnHeader(robot, shown.getText())).as(shown.getText() + " header, sorted by "
                                    + column.getText() + ", at " + at).isEqualTo(shown.getText());
                        }
                    }
                }
                robot.interact(() -> table.getSortOrder().clear());
            }
        }
    }

    private static String widths(TableView<ImageTable.Row> table) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> table.getWidth() + " " + table.getVisibleLeafColumns().stream()
                .map(c -> c.getText() + "=" + c.getWidth() + "/" + c.getMinWidth()).toList()).get(30, TimeUnit.SECONDS);
    }

    /** The text the header of the column titled {@code title} draws (elided when it is too narrow). */
    private static String drawnHeader(FxRobot robot, String title) throws Exception {
        TableColumnHeader header = robot.lookup(".column-header").match(n -> n instanceof TableColumnHeader h
                && h.getTableColumn() != null && title.equals(h.getTableColumn().getText())).query();
        return WaitForAsyncUtils.asyncFx(() -> header.lookup(".label") instanceof Labeled label
                ? label.getChildrenUnmodifiable().stream().filter(n -> n instanceof Text).map(n -> ((Text) n).getText())
                        .findFirst().orElse("")
                : "").get(30, TimeUnit.SECONDS);
    }

    /** The right edge of the last column and the left edge of the shown vertical scroll bar (0 if none), in the scene. */
    private static double[] edges(TableView<ImageTable.Row> table) {
        double columns = 0;
        for (TableColumn<ImageTable.Row, ?> column : table.getVisibleLeafColumns()) {
            columns += column.getWidth();
        }
        double left = table.localToScene(table.getLayoutBounds()).getMinX() + table.snappedLeftInset();
        double bar = 0;
        for (javafx.scene.Node node : table.lookupAll(".scroll-bar")) {
            if (node instanceof ScrollBar scroll && scroll.getOrientation() == Orientation.VERTICAL && scroll.isVisible()) {
                bar = scroll.localToScene(scroll.getLayoutBounds()).getMinX();
            }
        }
        return new double[] {left + columns, bar};
    }
}
