package io.gantry.ui.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.ObservableList;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The search window: built once from {@code SearchView.fxml}, owned by the main window, shown
 * again (with the query from the toolbar) each time the user searches. Closing it cancels what is
 * still being fetched.
 */
public final class SearchWindow {

    public static final String TITLE = "Search and pull";

    private final SearchViewModel model;
    private final Stage stage = new Stage();
    private final SearchController controller;

    public SearchWindow(Window owner, SearchViewModel model, ObservableStringValue targetName,
                        ObservableList<String> registries, List<String> stylesheets) {
        this.model = model;
        this.controller = new SearchController(model, targetName, registries);
        FXMLLoader loader = new FXMLLoader(SearchWindow.class.getResource("/io/gantry/ui/search/SearchView.fxml"));
        loader.setControllerFactory(type -> controller);
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("SearchView.fxml could not be loaded", e);
        }
        Scene scene = new Scene(root, 1100, 600);
        scene.getStylesheets().addAll(stylesheets);
        controller.installShortcuts(scene);
        stage.initOwner(owner);
        stage.setTitle(TITLE);
        stage.setScene(scene);
        io.gantry.ui.Views.closeWithKeys(stage);
        stage.setOnHidden(event -> model.cancel());
    }

    /** Shows the window and searches for {@code query} (when it is not blank). */
    public void search(String query) {
        show();
        if (query != null && !query.isBlank()) {
            model.queryProperty().set(query.trim());
            model.search();
        }
    }

    /** Shows the window (in front) with the caret in the query field. */
    public void show() {
        if (!stage.isShowing()) {
            stage.show();
        }
        stage.toFront();
        controller.focusQuery();
    }

    public Stage stage() {
        return stage;
    }
}
