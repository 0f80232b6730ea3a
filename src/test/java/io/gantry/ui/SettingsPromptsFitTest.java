package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * Every field of the Settings dialog shows its prompt text whole, in both themes, with the main
 * window at 900x600 and at 1440x900: the prompt, set in the field's own font, is no wider than the
 * field less its insets. Seen in session 17's walk: the CA host's "registry.corp:443" and the engine
 * address's "tcp://host:2376, containerd:///path.sock" were cut. Its labels (the help lines under the
 * fields among them) are shown whole as well, not ended with an ellipsis ({@link PromptFit}).
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class SettingsPromptsFitTest {

    @TempDir
    static Path home;

    private EmbeddedWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        window = EmbeddedWindow.showEmpty(stage, home);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(Theme.LIGHT::apply).get(10, TimeUnit.SECONDS);
        window.close();
    }

    @Test
    void everyPromptIsReadableWhole(FxRobot robot) throws Exception {
        List<String> cut = new ArrayList<>();
        long fields = 0;
        for (Theme theme : List.of(Theme.LIGHT, Theme.DARK)) {
            for (double[] size : List.of(new double[] {900, 600}, new double[] {1440, 900})) {
                robot.interact(() -> {
                    theme.apply();
                    EmbeddedWindow.place(stage, size[0], size[1]);
                });
                robot.interact(() -> robot.lookup("#settings-button").queryButton().fire());
                WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxReads.onFx(() -> settings().isPresent()));
                WaitForAsyncUtils.waitForFxEvents();
                Window settings = FxReads.onFx(() -> settings().orElseThrow());
                String where = theme + " " + (int) size[0] + "x" + (int) size[1];
                fields += FxReads.onFx(() -> PromptFit.prompts(settings.getScene().getRoot()));
                cut.addAll(FxReads.onFx(() -> PromptFit.cut(settings.getScene().getRoot(), where)));
                robot.interact(() -> ((Stage) settings).hide());
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxReads.onFx(() -> !settings.isShowing()));
            }
        }
        assertThat(fields).as("the dialog's fields with a prompt, four times").isGreaterThanOrEqualTo(4 * 6);
        assertThat(cut).as("prompts cut").isEmpty();
    }

    private static Optional<Window> settings() {
        return Window.getWindows().stream().filter(w -> w instanceof Stage s
                && io.gantry.ui.settings.SettingsDialog.TITLE.equals(s.getTitle()) && w.isShowing()).findFirst();
    }
}
