package io.gantry.ui;

import io.gantry.service.EndpointCatalog;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.testing.DockerArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;

/**
 * The main window, light theme, over a fresh embedded store under {@code home} holding
 * {@code images} (none: {@link #showEmpty}), with settings of its own: the set-up of the GUI tests that need no engine.
 * {@link #close()} stops its workers and closes the store. The stage's size is the test's to set.
 */
final class EmbeddedWindow implements AutoCloseable {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final EndpointCatalog catalog;

    private EmbeddedWindow(Stage stage, Path home, DockerArchive images) throws Exception {
        long unique = System.nanoTime();
        OciLayoutStore store = OciLayoutStore.open(Files.createDirectories(home.resolve("store-" + unique)));
        if (images != null) {
            store.load(images.writeTo(home.resolve("images-" + unique + ".tar")));
        }
        catalog = new EndpointCatalog(List.of(store));
        Theme.LIGHT.apply();
        parts = MainWindow.open(stage, new DesktopContext(catalog, executor,
                new SettingsStore(home.resolve("settings-" + unique + ".json"))));
    }

    private final MainWindow.Parts parts;

    /** The window's view models. */
    MainWindow.Parts parts() {
        return parts;
    }

    static EmbeddedWindow show(Stage stage, Path home, DockerArchive images) throws Exception {
        return new EmbeddedWindow(stage, home, images);
    }

    /** The first start: an embedded store with no image. */
    static EmbeddedWindow showEmpty(Stage stage, Path home) throws Exception {
        return new EmbeddedWindow(stage, home, null);
    }

    @Override
    public void close() throws Exception {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        catalog.close();
    }
}
