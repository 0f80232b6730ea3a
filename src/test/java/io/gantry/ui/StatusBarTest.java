package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.ImageTable;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
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
 * Issue 13, item 10 (stale text): the status bar does not keep the Layers tab's file analysis line
 * ("Efficiency 100.0% · 0B wasted in 0 files") once the analysis is done; the Layers tab shows it, and
 * the status bar goes back to the endpoint's line.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class StatusBarTest {

    @TempDir
    static Path home;

    private static DockerArchive archive;
    private static String name;

    private EmbeddedWindow window;

    @BeforeAll
    static void images() {
        name = FixtureImages.unique("status");
        FixtureImage image = new FixtureImages().image(name).layer(l -> l.file("etc/a", "a")).layer(l -> l.file("etc/a", "b"));
        archive = new DockerArchive().add(image, name + ":1");
    }

    @Start
    void start(Stage stage) throws Exception {
        window = EmbeddedWindow.show(stage, home, archive);
    }

    @AfterEach
    void stop() throws Exception {
        window.close();
    }

    @Test
    void theFileAnalysisLineStaysInTheLayersTab(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        StatusBar status = robot.lookup("#status-bar").queryAs(StatusBar.class);
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> table.getItems().size() == 1);
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> status.getText().startsWith("Embedded store: "));
        String endpointLine = status.getText();

        robot.interact(() -> {
            table.getSelectionModel().select(0);
            table.requestFocus();
        });
        TabPane tabs = robot.lookup("#details-tabs").queryAs(TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(1)); // Layers: the analysis starts
        Label summary = robot.lookup("#analysis-summary").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> summary.getText().startsWith("Efficiency"));
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> !window.parts().model().busyProperty().get());
        String after = WaitForAsyncUtils.asyncFx(status::getText).get(30, TimeUnit.SECONDS);
        assertThat(after).as("the status bar after the analysis").isEqualTo(endpointLine).doesNotContain("Efficiency");
    }
}
