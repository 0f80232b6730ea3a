package io.gantry.ui.settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/** The settings window (modal to the main window), built from {@code SettingsView.fxml}. */
public final class SettingsDialog {

    public static final String TITLE = "Gantry settings";

    private final Stage stage = new Stage();
    private final SettingsViewModel model;

    public SettingsDialog(Window owner, SettingsViewModel model, List<String> stylesheets) {
        this.model = model;
        SettingsController controller = new SettingsController(model, stage::hide);
        FXMLLoader loader = new FXMLLoader(SettingsDialog.class.getResource("/io/gantry/ui/settings/SettingsView.fxml"));
        loader.setControllerFactory(type -> controller);
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("SettingsView.fxml could not be loaded", e);
        }
        Scene scene = new Scene(root, 880, 600);
        scene.getStylesheets().addAll(stylesheets);
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle(TITLE);
        stage.setScene(scene);
        io.gantry.ui.Views.closeWithKeys(stage);
    }

    /** Shows the dialog with the saved settings. */
    public void show() {
        model.reload();
        stage.show();
        stage.toFront();
        // the dialog is kept between openings: each starts on its first control, not where the focus was left
        javafx.scene.Node first = stage.getScene().lookup("#theme-box");
        if (first != null) {
            first.requestFocus();
        }
    }

    public Stage stage() {
        return stage;
    }
}
