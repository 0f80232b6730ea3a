package io.gantry.ui.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gantry.core.Digest;
import io.gantry.service.LayerFiles;
import io.gantry.service.LayerRows;
import io.gantry.ui.FxTasks;
import io.gantry.ui.Theme;
import io.gantry.ui.Views;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Layers tab's "Layer sizes" bar: each segment is its layer's share of the image, measured on
 * the laid-out bar at two window widths (issue 13: 32/24/20/14/10% drew as 38/26/20/11/4.5%, and a
 * 20% unique layer drew as 1% at one width and 15% at another).
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class LayerSizeBarTest {

    private static final long[] SIZES = {32_000_000, 24_000_000, 20_000_000, 14_000_000, 10_000_000};
    private static final long[] APP1 = {80_000_000, 20_000_000};

    private Stage stage;
    private final javafx.collections.ObservableList<LayerRows.Row> rows = FXCollections.observableArrayList();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Theme.LIGHT.apply();
        LayersViewModel model = new LayersViewModel(new FxTasks(Executors.newSingleThreadExecutor()), new LayerFiles(), rows);
        Scene scene = new Scene(new LayersController(model).load(), 1200, 500);
        scene.getStylesheets().addAll(Views.stylesheets());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void everySegmentIsItsLayersShareAtEveryWidth(FxRobot robot) {
        for (long[] sizes : List.of(SIZES, APP1)) {
            robot.interact(() -> rows.setAll(rows(sizes)));
            for (double width : new double[] {1440, 1200, 900, 600}) {
                robot.interact(() -> stage.setWidth(width));
                WaitForAsyncUtils.waitForFxEvents();
                Region bar = robot.lookup("#layer-size-bar").queryAs(Region.class);
                List<Node> segments = List.copyOf(bar.getChildrenUnmodifiable());
                assertThat(segments).hasSize(sizes.length);
                double inner = bar.getWidth() - bar.snappedLeftInset() - bar.snappedRightInset();
                assertThat(inner).as("bar width at %s", width).isGreaterThan(100);
                long total = java.util.Arrays.stream(sizes).sum();
                double drawn = 0;
                for (int i = 0; i < sizes.length; i++) {
                    double expected = inner * sizes[i] / total;
                    double actual = segments.get(i).getLayoutBounds().getWidth();
                    assertThat(actual).as("layer %d of %s at window width %s", i, sizes.length, width)
                            .isCloseTo(expected, within(1.0));
                    drawn += actual;
                }
                assertThat(drawn).isCloseTo(inner, within(1.0));
            }
        }
    }

    private static List<LayerRows.Row> rows(long[] sizes) {
        List<LayerRows.Row> list = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            Digest diff = Digest.of("sha256:" + String.format("%064x", i + 1));
            list.add(new LayerRows.Row(i, diff, java.util.Optional.of(diff), diff, sizes[i], "step " + i,
                    i == 0 ? List.of("other:1") : List.of()));
        }
        return list;
    }
}
