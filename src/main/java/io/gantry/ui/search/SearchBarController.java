package io.gantry.ui.search;

import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.IntegerExpression;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import org.controlsfx.control.textfield.CustomTextField;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The toolbar's search field (Enter searches, or pulls a full reference), the button that shows
 * the pull panel, and the settings button. Binds {@code SearchBar.fxml}; decides nothing.
 */
public final class SearchBarController {

    @FXML private CustomTextField searchField;
    @FXML private Button pullsButton;
    @FXML private Button settingsButton;

    private final Consumer<String> onSubmit;
    private final Runnable onShowPulls;
    private final Runnable onSettings;
    private final IntegerExpression runningPulls;

    /**
     * @param onSubmit     gets the text when the user presses Enter
     * @param runningPulls how many pulls are running, shown on the Pulls button
     */
    public SearchBarController(Consumer<String> onSubmit, Runnable onShowPulls, Runnable onSettings,
                               IntegerExpression runningPulls) {
        this.onSubmit = onSubmit;
        this.onShowPulls = onShowPulls;
        this.onSettings = onSettings;
        this.runningPulls = runningPulls;
    }

    @FXML
    private void initialize() {
        searchField.setLeft(new FontIcon(Feather.SEARCH));
        searchField.setOnAction(event -> onSubmit.accept(searchField.getText()));
        searchField.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ESCAPE) {
                searchField.clear();
            }
        });
        pullsButton.setGraphic(new FontIcon(Feather.DOWNLOAD));
        pullsButton.textProperty().bind(Bindings.when(runningPulls.greaterThan(0))
                .then(Bindings.concat("Pulls (", runningPulls.asString(), ")")).otherwise("Pulls"));
        pullsButton.setTooltip(new Tooltip("Show the pull panel"));
        pullsButton.setOnAction(event -> onShowPulls.run());
        settingsButton.setGraphic(new FontIcon(Feather.SETTINGS));
        settingsButton.setTooltip(new Tooltip("Settings (Ctrl+,)"));
        settingsButton.setOnAction(event -> onSettings.run());
    }

    /** Ctrl+F: puts the caret in the search field with its text selected. */
    public void focus() {
        searchField.requestFocus();
        searchField.selectAll();
    }

    /** The text in the field now. */
    public String text() {
        return searchField.getText();
    }
}
