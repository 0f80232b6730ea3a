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
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        // on a small screen (900x600) the window fits it rather than hanging off both sides
        Scene scene = new Scene(root, Math.min(1100, screen.getWidth()), Math.min(600, screen.getHeight() - 30));
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
            javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
            stage.setX(Math.max(screen.getMinX(), Math.min(stage.getX(), screen.getMaxX() - stage.getWidth())));
            stage.setY(Math.max(screen.getMinY(), Math.min(stage.getY(), screen.getMaxY() - stage.getHeight())));
        }
        stage.toFront();
        controller.focusQuery();
    }

    public Stage stage() {
        return stage;
    }
}
