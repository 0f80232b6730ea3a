package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.ImageStore;
import io.gantry.service.ImageTable;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
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
 * Issue 13, items 10 and 13, on the embedded store: the empty table says why it is empty (a filter
 * that matches nothing, a state filter with no image) and what to do; CREATED's relative times
 * advance with the window's clock, without a refresh; a "Deleted … reclaimed" banner goes once the
 * endpoint's images change after it (here a tag made outside the window).
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class WindowStatesTest {

    @TempDir
    static Path home;

    private EmbeddedWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        // made ten minutes ago, so the relative time moves visibly ("10 minutes ago" → "3 hours ago")
        FixtureImages images = new FixtureImages(Instant.now().minus(Duration.ofMinutes(10)),
                io.gantry.testing.ToolFinder.fromEnvironment());
        FixtureImage one = images.image("states/one").bigLayer(30_000, 1);
        FixtureImage two = one.layer("ADD more", l -> l.randomFile("more", 20_000, 2)); // shares one's layer
        stage.setWidth(1440);
        stage.setHeight(900);
        window = EmbeddedWindow.show(stage, home, new DockerArchive().add(one, "states/one:1").add(two, "states/two:1"));
    }

    @AfterEach
    void stop() throws Exception {
        window.close();
    }

    private static void waitFor(int seconds, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
    }

    @Test
    void emptyFiltersSayWhyAndWhatToDo(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        waitFor(20, () -> table.getItems().size() == 2);

        robot.clickOn("#image-filter").write("nothing-like-this");
        waitFor(5, () -> table.getItems().isEmpty());
        Label placeholder = robot.lookup("#images-placeholder").queryAs(Label.class);
        assertThat(placeholder.getText()).isEqualTo(
                "No image matches \"nothing-like-this\". Clear the filter (Esc) to see them all.");

        robot.type(KeyCode.ESCAPE);
        waitFor(5, () -> table.getItems().size() == 2);
        robot.interact(() -> robot.lookup("#filter-dangling").queryAs(ToggleButton.class).fire());
        waitFor(5, () -> table.getItems().isEmpty());
        String endpoint = window.parts().model().selectedEndpointProperty().get().endpoint().name();
        assertThat(robot.lookup("#images-placeholder").queryAs(Label.class).getText())
                .isEqualTo("No dangling images on " + endpoint + ". Choose All to see every image.");
    }

    @Test
    void createdAdvancesWithTheClock(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        waitFor(20, () -> FxReads.items(table).size() == 2);
        ImageTable.Row first = FxReads.items(table).get(0);
        Instant later = FxReads.onFx(() -> window.parts().model().nowProperty().get()).plus(Duration.ofHours(3));
        String expected = ImageTable.ago(first.image().created(), later);
        // the cell is drawn on a pulse after the rows arrive (later on a loaded machine); a refresh
        // may give the same image a new row object, so the cell is found by the image's reference
        waitFor(20, () -> createdCell(robot, first).isPresent());
        assertThat(createdCell(robot, first)).get().isNotEqualTo(expected);

        robot.interact(() -> window.parts().model().tick(later));
        waitFor(20, () -> createdCell(robot, first).filter(expected::equals).isPresent());
        assertThat(createdCell(robot, first)).hasValue(expected);
    }

    @Test
    void aDeleteBannerGoesWhenTheImagesChangeAfterIt(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        waitFor(20, () -> table.getItems().size() == 2);
        Window preview = openDeletePreview(robot, table, table.getItems().get(0).repository());
        waitFor(20, () -> !robot.lookup("#cleanup-run").queryButton().isDisabled());
        robot.interact(() -> robot.lookup("#cleanup-run").queryButton().fire());
        waitFor(20, () -> robot.lookup("#notice-banner").tryQuery().isPresent());
        waitFor(20, () -> table.getItems().size() == 1);
        robot.interact(preview::hide);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#notice-banner").tryQuery()).as("the banner is true after the delete's own refresh").isPresent();

        ImageStore store = window.parts().model().selectedStore().orElseThrow();
        ImageTable.Row left = table.getItems().get(0);
        store.tag(ImageKey.of(left.image().id()), ImageReference.parse("states/copy:1"));
        waitFor(20, () -> table.getItems().size() == 2);
        waitFor(5, () -> robot.lookup("#notice-banner").tryQuery().isEmpty());
    }

    /** The preview's headline wraps instead of being cut ("frees 0B (its layers are still used by other images or ..."). */
    @Test
    void theDeletePreviewHeadlineIsWhole(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        waitFor(20, () -> table.getItems().size() == 2);
        Window preview = openDeletePreview(robot, table, "states/one");
        Label headline = robot.lookup("#cleanup-headline").queryAs(Label.class);
        waitFor(20, () -> headline.getText().contains("still used by other images"));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.text.Text drawn = robot.from(headline).lookup((javafx.scene.Node n) -> n instanceof javafx.scene.text.Text)
                .queryAs(javafx.scene.text.Text.class);
        assertThat(drawn.getText().replace("\n", " ")).as("drawn whole, wrapped").isEqualTo(headline.getText());
        assertThat(headline.getWidth()).isLessThanOrEqualTo(preview.getWidth());
        robot.interact(preview::hide);
    }

    /** Selects the row of {@code repository} and presses Del: the delete preview that opens. */
    private Window openDeletePreview(FxRobot robot, TableView<ImageTable.Row> table, String repository) throws Exception {
        robot.interact(() -> {
            table.requestFocus();
            table.getSelectionModel().clearSelection();
            table.getItems().stream().filter(row -> row.repository().equals(repository)).findFirst()
                    .ifPresent(row -> table.getSelectionModel().select(row));
        });
        robot.type(KeyCode.DELETE);
        waitFor(10, () -> preview().isPresent());
        return preview().orElseThrow();
    }

    private java.util.Optional<Window> preview() {
        WaitForAsyncUtils.waitForFxEvents();
        return java.util.List.copyOf(Window.getWindows()).stream()
                .filter(w -> w != stage && w instanceof Stage && w.isShowing()).findFirst();
    }

    /** The CREATED cell drawn for the row of {@code row}'s image and reference, read on the FX thread. */
    private static java.util.Optional<String> createdCell(FxRobot robot, ImageTable.Row row) {
        return FxReads.onFx(() -> robot.lookup(".table-cell").match(node -> node instanceof TableCell<?, ?> cell
                        && cell.getTableColumn() != null && "CREATED".equals(cell.getTableColumn().getText())
                        && cell.getTableRow() != null && cell.getTableRow().getItem() instanceof ImageTable.Row drawn
                        && drawn.image().id().equals(row.image().id()) && drawn.repository().equals(row.repository())
                        && drawn.tag().equals(row.tag()))
                .tryQueryAs(TableCell.class).map(TableCell::getText));
    }
}
