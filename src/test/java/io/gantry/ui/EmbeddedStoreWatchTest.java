package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.ImageSummary;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The open window follows the embedded store's change watch: what another store instance on the
 * same directory does (as a {@code gantry pull}, {@code tag} or {@code rm} in a terminal does) shows
 * in the view model without a refresh. Waits are generous deadlines, not timing assertions.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class EmbeddedStoreWatchTest {

    @TempDir
    static Path home;

    private ExecutorService executor;
    private EndpointCatalog catalog;
    private MainWindow.Parts parts;

    @Start
    void start(Stage stage) throws Exception {
        Path store = Files.createDirectories(home.resolve("store"));
        executor = Executors.newCachedThreadPool();
        catalog = new EndpointCatalog(List.of(OciLayoutStore.open(store)));
        Theme.LIGHT.apply();
        parts = MainWindow.open(stage, new DesktopContext(catalog, executor, new SettingsStore(home.resolve("settings.json"))));
    }

    @AfterEach
    void stop() throws Exception {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        catalog.close();
    }

    @Test
    void anotherStoreInstancesAddTagAndDeleteShowWithoutARefresh() throws Exception {
        MainViewModel model = parts.model();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.statusProperty().get().startsWith("Embedded store:"));
        assertThat(model.allRows()).isEmpty();

        StoreFixtures.Image image = StoreFixtures.image("watched", 41, 42);
        try (OciLayoutStore other = OciLayoutStore.open(home.resolve("store"))) {
            StoreFixtures.store(other, image, "example.com/watched:1");
            awaitListed(model, images -> images.stream().anyMatch(i -> i.repoTags().contains("example.com/watched:1")));

            other.tag(ImageKey.parse("example.com/watched:1"), ImageReference.parse("example.com/watched:2"));
            awaitListed(model, images -> images.stream().anyMatch(i -> i.repoTags().contains("example.com/watched:2")));

            other.delete(ImageKey.parse("example.com/watched:1"), false);
            other.delete(ImageKey.parse("example.com/watched:2"), false);
            awaitListed(model, List::isEmpty);
        }
        assertThat(model.loadedImagesProperty().get()).isEmpty();
    }

    private static void awaitListed(MainViewModel model, Predicate<List<ImageSummary>> seen) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> seen.test(model.loadedImagesProperty().get()));
    }
}
