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
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.text.Text;
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
 * Issue 13, item 9 (seen by the screenshot walk at 1200x720: {@code 127.0.0....ter/api} beside a TAG
 * column of about 110 px holding "2.4"): the columns size to their content. REPOSITORY gets the room
 * its widest name needs before TAG gets any spare room, so at 1200x720 registry-qualified names as the
 * walk's read whole, and TAG is no wider than its header or its widest tag needs.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class RepositoryRoomTest {

    private static final String REGISTRY = "127.0.0.1:35123/";
    private static final List<String> NAMES = List.of(REGISTRY + "cluster/api", REGISTRY + "family/app1",
            REGISTRY + "family/app2", REGISTRY + "family/base");

    @TempDir
    static Path home;

    private EmbeddedWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        FixtureImages images = new FixtureImages();
        DockerArchive archive = new DockerArchive();
        int i = 0;
        for (String name : NAMES) {
            FixtureImage image = images.image(name.substring(name.indexOf('/') + 1)).created(Instant.now().minusSeconds(1800)).bigLayer(1_000_000 + i, i + 1);
            archive.add(image, name + (i == 0 ? ":2.4" : ":1." + i));
            i++;
        }
        window = EmbeddedWindow.show(stage, home, archive);
    }

    @AfterEach
    void stop() throws Exception {
        window.close();
    }

    @Test
    void repositoryNamesReadWholeAt1200x720WhileTagKeepsToItsContent(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxReads.items(table).size() == NAMES.size());
        robot.interact(() -> {
            stage.setWidth(1200);
            stage.setHeight(720);
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> stage.getScene().getRoot().layout());
        WaitForAsyncUtils.waitForFxEvents();

        List<String> drawn = WaitForAsyncUtils.asyncFx(() -> table.lookupAll(".table-cell").stream()
                .filter(n -> n instanceof TableCell<?, ?> c && c.isVisible() && c.getText() != null
                        && c.getTableColumn() != null && "REPOSITORY".equals(c.getTableColumn().getText()))
                .map(RepositoryRoomTest::drawnText).sorted().toList()).get(30, TimeUnit.SECONDS);
        String widths = WaitForAsyncUtils.asyncFx(() -> table.getWidth() + " " + table.getVisibleLeafColumns().stream()
                .map(c -> c.getText() + "=" + Math.round(c.getWidth())).toList()).get(30, TimeUnit.SECONDS);
        assertThat(drawn).as("the REPOSITORY cells drawn at 1200x720 (" + widths + ")").containsExactlyElementsOf(NAMES);

        double[] tag = WaitForAsyncUtils.asyncFx(() -> {
            TableColumn<ImageTable.Row, ?> column = table.getVisibleLeafColumns().stream()
                    .filter(c -> "TAG".equals(c.getText())).findFirst().orElseThrow();
            return new double[] {column.getWidth(), column.getMinWidth()};
        }).get(30, TimeUnit.SECONDS);
        assertThat(tag[0]).as("TAG's width: its header's and its widest tag's, no spare room (" + widths + ")")
                .isLessThanOrEqualTo(tag[1] + 1);
    }

    /** The text a cell draws: its skin's Text child, elided when the cell is too narrow. */
    private static String drawnText(Node node) {
        TableCell<?, ?> cell = (TableCell<?, ?>) node;
        return cell.getChildrenUnmodifiable().stream().filter(n -> n instanceof Text && n.getStyleClass().contains("text"))
                .map(n -> ((Text) n).getText()).findFirst().orElse("");
    }
}
