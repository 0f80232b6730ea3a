package io.gantry.ui.pull;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.ImageReference;
import io.gantry.ui.Views;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * "Copy to a registry" from an engine under another name: the dialog says that the engine tags
 * the image with that name first (what {@code ImageCopier.pushFrom} then does), and says nothing of
 * the kind for the image's own name.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class RegistryTargetDialogTest {

    private final List<ImageReference> copied = new ArrayList<>();
    private RegistryTargetDialog dialog;

    @Start
    void start(Stage stage) {
        stage.setScene(new javafx.scene.Scene(new javafx.scene.layout.StackPane(), 300, 200));
        stage.show();
        dialog = new RegistryTargetDialog(stage, "127.0.0.1:5000/demo/web:1.1", "127.0.0.1:5000/demo/web:1.1",
                Optional.of("Docker (test)"), Views.stylesheets(), copied::add);
        dialog.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> dialog.stage().hide());
    }

    @Test
    void anotherNameOnAnEngineIsTaggedThereFirstAndTheDialogSaysSo(FxRobot robot) {
        TextField field = (TextField) dialog.stage().getScene().lookup("#registry-target");
        Label message = (Label) dialog.stage().getScene().lookup("#registry-target-message");
        assertThat(message.getText()).isEqualTo("Pushed to 127.0.0.1:5000 as demo/web:1.1");

        robot.interact(() -> field.setText("127.0.0.1:5000/team/web:2"));
        assertThat(message.getText()).isEqualTo("Pushed to 127.0.0.1:5000 as team/web:2. Docker (test) tags the image "
                + "with this name first (as docker tag does); the tag stays.");

        robot.interact(() -> ((javafx.scene.control.Button) dialog.stage().getScene().lookup("#registry-target-copy")).fire());
        assertThat(copied).containsExactly(ImageReference.parse("127.0.0.1:5000/team/web:2"));
    }
}
