package io.gantry.ui.pull;

import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.service.PushRows;
import io.gantry.ui.ErrorMessages;
import io.gantry.ui.Views;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * "Copy to" › "A registry…": asks where in a registry an image goes. The reference is read as
 * {@code gantry cp IMAGE docker://REF} reads it ({@link PushRows#target}, {@code docker://} in front
 * optional); while it is not one, the field says why and Copy is disabled. Copy (or Return) hands
 * the reference to {@code onCopy} and closes; Escape or Cancel closes without copying. Parsing a
 * reference is all it does on the FX thread.
 */
public final class RegistryTargetDialog {

    public static final String TITLE = "Copy to a registry";

    private final Stage stage = new Stage();
    private final TextField reference = new TextField();
    private final Label message = new Label();
    private final Button copy = new Button("Copy");
    private final String image;
    private final Optional<String> tagsOn;

    /**
     * @param image     the image copied, for the heading
     * @param suggested the text the field starts with (the image's own name when it names a registry)
     * @param tagsOn    the engine that will tag the image with another name before it pushes it, when the
     *                  source is one ({@link io.gantry.service.ImageCopier#tagsBeforePush}), so the dialog says so
     */
    public RegistryTargetDialog(Window owner, String image, String suggested, Optional<String> tagsOn,
                                List<String> stylesheets, Consumer<ImageReference> onCopy) {
        this.image = image;
        this.tagsOn = tagsOn;
        Label heading = new Label("Copy " + image + " to a registry as:");
        heading.setWrapText(true);
        reference.setId("registry-target");
        reference.setPromptText("localhost:5000/team/app:1");
        reference.setPrefColumnCount(40);
        message.setId("registry-target-message");
        message.setWrapText(true);
        message.getStyleClass().add("text-muted");
        copy.setId("registry-target-copy");
        copy.setDefaultButton(true);
        copy.setOnAction(event -> parsed().ifPresent(target -> {
            stage.hide();
            onCopy.accept(target);
        }));
        Button cancel = new Button("Cancel");
        cancel.setCancelButton(true);
        cancel.setOnAction(event -> stage.hide());
        reference.textProperty().addListener((obs, old, now) -> check());
        reference.setText(suggested);
        check();

        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox buttons = new HBox(8, gap, cancel, copy);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox root = new VBox(10, heading, reference, message, buttons);
        root.setPadding(new Insets(14));
        root.setPrefWidth(520);
        Scene scene = new Scene(root);
        scene.getStylesheets().addAll(stylesheets);
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle(TITLE);
        stage.setScene(scene);
        Views.closeWithKeys(stage);
    }

    /** Shows the dialog in front, the reference field focused. */
    public void show() {
        stage.show();
        stage.toFront();
        reference.requestFocus();
        reference.end();
    }

    public Stage stage() {
        return stage;
    }

    /** Copy is enabled only for a reference; the message says where it goes, or what is wrong. */
    private void check() {
        Optional<ImageReference> target = parsed();
        copy.setDisable(target.isEmpty());
        if (target.isPresent()) {
            String where = "Pushed to " + target.get().registry() + " as " + target.get().repository()
                    + target.get().tag().map(t -> ":" + t).orElse("") + target.get().digest().map(d -> "@" + d).orElse("");
            boolean renamed = !target.get().familiar().equals(image);
            message.setText(tagsOn.isPresent() && renamed
                    ? where + ". " + tagsOn.get() + " tags the image with this name first (as docker tag does); the tag stays."
                    : where);
        } else if (reference.getText().isBlank()) {
            message.setText("Name the image in the registry: host[:port]/repository:tag.");
        }
    }

    private Optional<ImageReference> parsed() {
        String text = reference.getText() == null ? "" : reference.getText();
        if (text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(PushRows.target(text));
        } catch (GantryException e) {
            message.setText(ErrorMessages.of(e).oneLine());
            return Optional.empty();
        }
    }
}
