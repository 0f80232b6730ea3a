package io.gantry.ui.settings;

import io.gantry.core.Platform;
import io.gantry.service.settings.Settings;
import java.io.File;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

/** Binds {@code SettingsView.fxml} to {@link SettingsViewModel}. */
public final class SettingsController {

    @FXML private ComboBox<String> themeBox;
    @FXML private ComboBox<String> platformBox;
    @FXML private Label platformHint;
    @FXML private ListView<Settings.RemoteEngine> enginesList;
    @FXML private TextField engineName;
    @FXML private TextField engineHost;
    @FXML private TextField engineCerts;
    @FXML private Button engineCertsBrowse;
    @FXML private Button addEngine;
    @FXML private Button removeEngine;
    @FXML private ListView<String> insecureList;
    @FXML private TextField insecureField;
    @FXML private Button addInsecure;
    @FXML private Button removeInsecure;
    @FXML private ListView<SettingsViewModel.RegistryCa> caList;
    @FXML private TextField caRegistry;
    @FXML private TextField caFile;
    @FXML private Button caBrowse;
    @FXML private Button addCa;
    @FXML private Button removeCa;
    @FXML private Label messageLabel;
    @FXML private Button cancelButton;
    @FXML private Button saveButton;

    private final SettingsViewModel model;
    private final Runnable close;

    /** @param close hides the dialog */
    public SettingsController(SettingsViewModel model, Runnable close) {
        this.model = model;
        this.close = close;
    }

    private static Label placeholder(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("placeholder");
        label.setWrapText(true);
        // a wrapped placeholder (the narrow HTTP list's) is centred and kept off the list's border, as the others
        label.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        label.setPadding(new javafx.geometry.Insets(0, 8, 0, 8));
        return label;
    }

    @FXML
    private void initialize() {
        themeBox.getItems().setAll(SettingsViewModel.THEMES);
        themeBox.valueProperty().bindBidirectional(model.themeProperty());
        platformBox.getItems().setAll(SettingsViewModel.COMMON_PLATFORMS);
        platformBox.valueProperty().bindBidirectional(model.defaultPlatformProperty());
        platformHint.setText("empty: this machine's (" + Platform.current() + ")");

        // Return on a list (none has a Return of its own) saves, as on any control without one; the lists
        // kept it to themselves
        for (javafx.scene.control.ListView<?> list : java.util.List.of(enginesList, insecureList, caList)) {
            list.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, event -> {
                if (event.getCode() == javafx.scene.input.KeyCode.ENTER && !event.isShortcutDown() && !event.isAltDown()
                        && !event.isShiftDown()) {
                    event.consume();
                    saveButton.fire();
                }
            });
        }
        enginesList.setItems(model.remoteEngines());
        enginesList.setPlaceholder(placeholder("No engines added. Engines found on this machine (DOCKER_HOST, contexts, sockets) appear by themselves."));
        insecureList.setPlaceholder(placeholder("None. Loopback registries (localhost, 127.0.0.1) may always use HTTP."));
        caList.setPlaceholder(placeholder("None. Docker's certs.d directories are used as well."));
        enginesList.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(Settings.RemoteEngine engine, boolean empty) {
                super.updateItem(engine, empty);
                setText(empty || engine == null ? null : engine.name() + " — " + engine.host()
                        + engine.certPath().map(dir -> " (TLS: " + dir + ")").orElse(""));
            }
        });
        addEngine.setOnAction(event -> {
            if (model.addRemoteEngine(engineName.getText(), engineHost.getText(), engineCerts.getText())) {
                engineName.clear();
                engineHost.clear();
                engineCerts.clear();
            }
        });
        // Return in any of the three fields adds the engine (not Save: a field's own action keeps the default button's)
        engineName.setOnAction(addEngine.getOnAction());
        engineHost.setOnAction(addEngine.getOnAction());
        engineCerts.setOnAction(addEngine.getOnAction());
        engineCertsBrowse.setOnAction(event -> {
            File dir = new DirectoryChooser().showDialog(engineCerts.getScene().getWindow());
            if (dir != null) {
                engineCerts.setText(dir.getAbsolutePath());
            }
        });
        removeEngine.disableProperty().bind(enginesList.getSelectionModel().selectedItemProperty().isNull());
        removeEngine.setOnAction(event -> model.remoteEngines().remove(enginesList.getSelectionModel().getSelectedItem()));

        insecureList.setItems(model.insecureRegistries());
        addInsecure.setOnAction(event -> {
            if (model.addInsecureRegistry(insecureField.getText())) {
                insecureField.clear();
            }
        });
        insecureField.setOnAction(addInsecure.getOnAction());
        removeInsecure.disableProperty().bind(insecureList.getSelectionModel().selectedItemProperty().isNull());
        removeInsecure.setOnAction(event -> model.insecureRegistries().remove(insecureList.getSelectionModel().getSelectedItem()));

        caList.setItems(model.registryCas());
        caBrowse.setOnAction(event -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("CA certificate (PEM)");
            File file = chooser.showOpenDialog(caFile.getScene().getWindow());
            if (file != null) {
                caFile.setText(file.getAbsolutePath());
            }
        });
        addCa.setOnAction(event -> {
            if (model.addRegistryCa(caRegistry.getText(), caFile.getText())) {
                caRegistry.clear();
                caFile.clear();
            }
        });
        removeCa.disableProperty().bind(caList.getSelectionModel().selectedItemProperty().isNull());
        removeCa.setOnAction(event -> model.registryCas().remove(caList.getSelectionModel().getSelectedItem()));

        messageLabel.textProperty().bind(model.messageProperty());
        messageLabel.styleProperty().bind(Bindings.when(model.messageProperty().isEqualTo("Saved."))
                .then("").otherwise("-fx-text-fill: -color-danger-fg;"));
        cancelButton.setOnAction(event -> close.run());
        saveButton.setOnAction(event -> model.save().ifPresent(saved -> close.run()));
    }
}
