package io.gantry.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import io.gantry.core.GantryException;
import io.gantry.service.settings.Settings;
import io.gantry.service.settings.SettingsStore;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.slf4j.LoggerFactory;

/** Builds the main window from {@code MainView.fxml}; used by the app and by the GUI tests. */
public final class MainWindow {

    public static final String TITLE = "Gantry";

    private MainWindow() {
    }

    /** Puts the main scene on {@code stage}, restores its last bounds and shows it. */
    public static void show(Stage stage, DesktopContext context) {
        Settings settings = context.settings().load();
        MainViewModel model = new MainViewModel(context.catalog(), new FxTasks(context.executor()));
        MainController controller = new MainController(model, settings.lastEndpoint());
        stage.setTitle(TITLE);
        for (String icon : new String[] {"icons/gantry-64.png", "icons/gantry-256.png"}) {
            stage.getIcons().add(new Image(Objects.requireNonNull(MainWindow.class.getResource(icon)).toExternalForm()));
        }
        Scene scene = createScene(controller);
        controller.installShortcuts(scene);
        stage.setScene(scene);
        stage.setMinWidth(800);
        stage.setMinHeight(480);
        settings.window().ifPresent(bounds -> {
            stage.setX(bounds.x());
            stage.setY(bounds.y());
            stage.setWidth(bounds.width());
            stage.setHeight(bounds.height());
            stage.setMaximized(bounds.maximized());
        });
        stage.setOnCloseRequest(event -> remember(stage, controller, context.settings()));
        stage.show();
    }

    private static void remember(Stage stage, MainController controller, SettingsStore store) {
        Settings settings = store.load().withWindow(new Settings.WindowBounds(
                stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized()));
        settings = controller.selectedEndpointId().map(settings::withLastEndpoint).orElse(settings);
        try {
            store.save(settings);
        } catch (GantryException e) {
            LoggerFactory.getLogger(MainWindow.class).warn("{}", e.describe());
        }
    }

    private static Scene createScene(MainController controller) {
        FXMLLoader loader = new FXMLLoader(MainWindow.class.getResource("MainView.fxml"));
        loader.setControllerFactory(type -> {
            if (type == MainController.class) {
                return controller;
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
}
