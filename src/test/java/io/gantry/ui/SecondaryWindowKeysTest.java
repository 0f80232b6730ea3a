package io.gantry.ui;

import static io.gantry.ui.KeyPresses.keys;
import static io.gantry.ui.KeyPresses.secondary;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.ImageTable;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.scene.control.TableView;
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
 * Issue 13, item 15: every secondary window the main window opens over the embedded store closes
 * with Esc and with Ctrl+W, as it opened (its focus where the window put it): Settings, the search
 * window, the prune preview, "Copy to a registry"; and Return is the default button's (Settings
 * saves and closes). The family tree and the delete preview are {@link KeyboardTest}'s, the
 * Containers window {@code RemoveContainersTest}'s, Combine {@code CombineTest}'s. Keys in a
 * secondary window are fired at its focus owner, see {@link KeyboardTest} for why.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class SecondaryWindowKeysTest {

    @TempDir
    static Path home;

    private EmbeddedWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        FixtureImage one = new FixtureImages().image("keys/one").bigLayer(20_000, 3);
        window = EmbeddedWindow.show(stage, home, new DockerArchive().add(one, "registry.example:5000/keys/one:1"));
        EmbeddedWindow.place(stage, 1200, 720);
    }

    @AfterEach
    void stop() throws Exception {
        window.close();
    }

    @Test
    void everySecondaryWindowClosesWithEscAndCtrlW(FxRobot robot) throws Exception {
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> table.getItems().size() == 1);
        robot.interact(() -> table.getSelectionModel().select(0));

        List<Opener> openers = List.of(
                new Opener("Settings", r -> r.interact(() -> r.lookup("#settings-button").queryButton().fire())),
                new Opener("the search window", r -> {
                    r.interact(stage::requestFocus);
                    // a registry on a loopback port nothing listens on: the window opens and says so, at once
                    r.clickOn("#search-field").write("127.0.0.1:1/keys").type(KeyCode.ENTER);
                }),
                new Opener("the prune preview", r -> r.interact(() -> r.lookup("#prune-button").queryButton().fire())),
                new Opener("Copy to a registry", r -> r.interact(() -> new io.gantry.ui.pull.RegistryTargetDialog(stage,
                        "registry.example:5000/keys/one:1", "registry.example:5000/keys/one:1", Optional.empty(),
                        Views.stylesheets(), target -> { }).show())));
        for (Opener opener : openers) {
            for (KeyCode[] close : List.of(new KeyCode[] {KeyCode.ESCAPE}, new KeyCode[] {KeyCode.CONTROL, KeyCode.W})) {
                opener.open().accept(robot);
                WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> secondary(stage).isPresent());
                Window opened = secondary(stage).orElseThrow();
                keys(robot, opened, close);
                try {
                    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> secondary(stage).isEmpty());
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError(opener.name() + " still open after " + List.of(close) + "; focus owner "
                            + opened.getScene().getFocusOwner(), e);
                }
            }
        }
    }

    @Test
    void returnInSettingsIsSave(FxRobot robot) throws Exception {
        robot.interact(() -> robot.lookup("#settings-button").queryButton().fire());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> secondary(stage).isPresent());
        keys(robot, secondary(stage).orElseThrow(), KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> secondary(stage).isEmpty());
        assertThat(java.nio.file.Files.exists(window.settings().file())).as("Return saved the settings").isTrue();
    }

    private record Opener(String name, Consumer<FxRobot> open) {
    }
}
