package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextInputControl;
import javafx.scene.text.Text;
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
 * fields among them) are shown whole as well, not ended with an ellipsis.
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
        int fields = 0;
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
                List<String> found = FxReads.onFx(() -> {
                    settings.getScene().getRoot().applyCss();
                    settings.getScene().getRoot().layout();
                    List<String> out = new ArrayList<>();
                    for (Node node : settings.getScene().getRoot().lookupAll(".text-input")) {
                        if (node instanceof TextInputControl field && field.isVisible() && field.getPromptText() != null
                                && !field.getPromptText().isEmpty()) {
                            out.add(fits(field) ? "" : where + ": \"" + field.getPromptText() + "\" in "
                                    + (field.getId() == null ? field.getParent().getId() : field.getId())
                                    + " (" + Math.round(promptWidth(field)) + " px of text, " + Math.round(room(field)) + " px of room)");
                        }
                    }
                    // a help line under a field (or any label) is read whole too, not ended with an ellipsis
                    for (Node node : settings.getScene().getRoot().lookupAll(".label")) {
                        if (node instanceof javafx.scene.control.Label label && label.isVisible() && label.getText() != null
                                && !label.getText().isEmpty()) {
                            String shown = ((javafx.scene.text.Text) label.lookup(".text")).getText();
                            if (!shown.replace("\n", " ").equals(label.getText().replace("\n", " "))) {
                                out.add(where + ": label \"" + label.getText() + "\" shown as \"" + shown + "\"");
                            }
                        }
                    }
                    return out;
                });
                fields += found.size();
                found.stream().filter(s -> !s.isEmpty()).forEach(cut::add);
                robot.interact(() -> ((Stage) settings).hide());
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxReads.onFx(() -> !settings.isShowing()));
            }
        }
        assertThat(fields).as("the dialog's fields with a prompt, four times").isGreaterThanOrEqualTo(4 * 6);
        assertThat(cut).as("prompts cut").isEmpty();
    }

    private static boolean fits(TextInputControl field) {
        if (field instanceof TextArea area && area.isWrapText()) {
            return true; // a wrapped prompt is shown whole on several lines
        }
        return promptWidth(field) <= room(field);
    }

    private static double promptWidth(TextInputControl field) {
        Text text = new Text(field.getPromptText());
        text.setFont(field.getFont());
        return text.getLayoutBounds().getWidth();
    }

    private static double room(TextInputControl field) {
        return field.getWidth() - field.snappedLeftInset() - field.snappedRightInset();
    }

    private static Optional<Window> settings() {
        return Window.getWindows().stream().filter(w -> w instanceof Stage s
                && io.gantry.ui.settings.SettingsDialog.TITLE.equals(s.getTitle()) && w.isShowing()).findFirst();
    }
}
