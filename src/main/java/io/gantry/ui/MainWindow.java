package io.gantry.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

/** Builds the main window from {@code MainView.fxml}; used by the app and by the GUI tests. */
public final class MainWindow {

    public static final String TITLE = "Gantry";

    private MainWindow() {
    }

    /** The main scene on {@code context}'s endpoints; call on the FX thread. */
    public static Scene createScene(DesktopContext context) {
        MainViewModel model = new MainViewModel(context.catalog(), new FxTasks(context.executor()));
        FXMLLoader loader = new FXMLLoader(MainWindow.class.getResource("MainView.fxml"));
        loader.setControllerFactory(type -> {
            if (type == MainController.class) {
                return new MainController(model);
            }
            throw new IllegalArgumentException("no controller " + type);
        });
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("MainView.fxml could not be loaded", e);
        }
        Scene scene = new Scene(root, 1200, 720);
        scene.getStylesheets().add(Objects.requireNonNull(MainWindow.class.getResource("gantry.css")).toExternalForm());
        return scene;
    }

    /** Puts the main scene on {@code stage} and shows it. */
    public static void show(Stage stage, DesktopContext context) {
        stage.setTitle(TITLE);
        for (String icon : new String[] {"icons/gantry-64.png", "icons/gantry-256.png"}) {
            stage.getIcons().add(new Image(Objects.requireNonNull(MainWindow.class.getResource(icon)).toExternalForm()));
        }
        stage.setScene(createScene(context));
        stage.setMinWidth(800);
        stage.setMinHeight(480);
        stage.show();
    }
}
