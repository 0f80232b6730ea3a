package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.testing.BothEngines;
import io.gantry.testing.EnginePeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.ui.containers.ContainersViewModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 13, item 14: the Containers window removes the chosen containers through the engine
 * ({@code DELETE /containers/{id}}, never forced) after a confirmation naming each one; a running
 * container is not removed, and the engine's own refusal says why. On dockerd and on Podman.
 */
@Tag("peer")
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class RemoveContainersTest {

    @TempDir
    Path home;

    private Stage stage;
    private EmbeddedWindow window;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    @BothEngines.Test
    void stoppedContainersAreRemovedAfterAConfirmationNamingThemAndARunningOneIsRefused(EnginePeer engine, FxRobot robot)
            throws Exception {
        String repository = FixtureImages.unique("rmc");
        FixtureImage image = new FixtureImages().image(repository + "-stopped").layer("ADD a", l -> l.file("a", repository));
        FixtureImage busybox = new FixtureImages().busybox(repository + "-running");
        engine.load(image, busybox);
        String stopped = engine.createContainer(image);
        String running = engine.runContainer(busybox.reference());
        String stoppedName = engine.dockerOk("container", "inspect", "--format", "{{.Name}}", stopped).out().replaceFirst("^/", "");
        String runningName = engine.dockerOk("container", "inspect", "--format", "{{.Name}}", running).out().replaceFirst("^/", "");

        window = EmbeddedWindow.openWithEngines(stage, home, EmbeddedWindow.engine(engine));
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        robot.interact(() -> rail.getSelectionModel().select(1));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !robot.lookup("#containers-button").queryButton().isDisabled());
        robot.clickOn("#containers-button");
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> robot.lookup("#all-containers").tryQuery().isPresent()
                && names(robot.lookup("#all-containers").queryTableView()).containsAll(List.of(stoppedName, runningName)));
        TableView<ContainersViewModel.Row> table = robot.lookup("#all-containers").queryTableView();
        robot.interact(() -> {
            table.getSelectionModel().clearSelection();
            for (int i = 0; i < table.getItems().size(); i++) {
                String name = table.getItems().get(i).container().name();
                if (name.equals(stoppedName) || name.equals(runningName)) {
                    table.getSelectionModel().select(i);
                }
            }
        });
        // Ctrl+W closes the confirmation as Cancel would: nothing is removed
        robot.clickOn("#remove-containers");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#remove-containers-confirmation").tryQuery().isPresent());
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.W)
                .release(javafx.scene.input.KeyCode.W, javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#remove-containers-confirmation").tryQuery().isEmpty());
        assertThat(names(table)).contains(stoppedName);
        assertThat(engine.docker("container", "inspect", stopped).exitCode()).isZero();

        robot.clickOn("#remove-containers");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#remove-containers-confirmation").tryQuery().isPresent());
        DialogPane confirmation = robot.lookup("#remove-containers-confirmation").queryAs(DialogPane.class);
        assertThat(confirmation.getContentText()).contains(stoppedName, runningName, "running: it will not be removed");
        assertThat(confirmation.getHeaderText()).contains("these 2 containers", "test " + engine.kind().label());
        robot.type(javafx.scene.input.KeyCode.ENTER); // Remove is the default button

        Label outcome = robot.lookup("#containers-outcome").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> outcome.getText().startsWith("Removed"));
        assertThat(outcome.getText()).contains("Removed " + stoppedName + ".", "Not removed: " + runningName + ": ")
                .containsIgnoringCase("running").doesNotContain("Exception");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !names(table).contains(stoppedName) && names(table).contains(runningName));
        assertThat(engine.docker("container", "inspect", stopped).exitCode()).isNotZero();
        assertThat(engine.containerStatus(running)).isEqualTo("running");
        engine.docker("rm", "-f", running);
    }

    /** A delete blocked only by a stopped container offers removing it first; the result lists both steps. */
    @BothEngines.Test
    void aDeleteBlockedOnlyByAStoppedContainerRemovesItThenDeletes(EnginePeer engine, FxRobot robot) throws Exception {
        String repository = FixtureImages.unique("rmd");
        FixtureImage image = new FixtureImages().image(repository).layer("ADD a", l -> l.file("a", repository));
        engine.load(image);
        String stopped = engine.createContainer(image);
        String stoppedName = engine.dockerOk("container", "inspect", "--format", "{{.Name}}", stopped).out().replaceFirst("^/", "");

        window = EmbeddedWindow.openWithEngines(stage, home, EmbeddedWindow.engine(engine));
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        TableView<io.gantry.service.ImageTable.Row> images = robot.lookup("#images-table").queryTableView();
        robot.interact(() -> rail.getSelectionModel().select(1));
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> FxReads.items(images).stream()
                .anyMatch(r -> r.repository().endsWith(repository)));
        robot.interact(() -> {
            for (int i = 0; i < images.getItems().size(); i++) {
                if (images.getItems().get(i).repository().endsWith(repository)) {
                    images.getSelectionModel().clearAndSelect(i);
                }
            }
        });
        robot.clickOn("#delete-button");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#cleanup-remove-containers").tryQuery()
                .map(n -> n.isVisible()).orElse(false));
        Label inTheWay = robot.lookup("#cleanup-containers").queryAs(Label.class);
        assertThat(inTheWay.getText()).contains(stoppedName);
        // the whole sentence is drawn, wrapped, not cut to one line ending in "..." (the walk saw that)
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(WaitForAsyncUtils.asyncFx(() -> inTheWay.getChildrenUnmodifiable().stream()
                .filter(n -> n instanceof javafx.scene.text.Text).map(n -> ((javafx.scene.text.Text) n).getText())
                .findFirst().orElse("")).get(30, TimeUnit.SECONDS)).isEqualTo(inTheWay.getText());
        robot.clickOn("#cleanup-remove-containers");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#cleanup-headline").queryAs(Label.class)
                .getText().startsWith("Untagged"));
        List<String> lines = List.copyOf(robot.lookup("#cleanup-lines").<io.gantry.ui.delete.PreviewLine>queryListView()
                .getItems()).stream().map(l -> l.kind() + " " + l.text() + " " + l.note()).toList();
        assertThat(lines).anyMatch(l -> l.contains(stoppedName) && l.contains("container removed"));
        assertThat(lines).anyMatch(l -> l.contains(image.imageId()));
        assertThat(robot.lookup("#cleanup-headline").queryAs(Label.class).getText()).contains("deleted 1 image");
        assertThat(engine.docker("container", "inspect", stopped).exitCode()).isNotZero();
        assertThat(engine.docker("image", "inspect", image.imageId()).exitCode()).isNotZero();
    }

    private static List<String> names(TableView<ContainersViewModel.Row> table) {
        return FxReads.items(table).stream().map(r -> r.container().name()).toList();
    }
}
