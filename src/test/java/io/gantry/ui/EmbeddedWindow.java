package io.gantry.ui;

import io.gantry.engine.EngineCredentials;
import io.gantry.engine.ImageStore;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.EnginePeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The main window, light theme, over a fresh embedded store under {@code home} holding
 * {@code images} (none: {@link #showEmpty}) and, after it in the rail, the engines given
 * ({@link #withEngines}), with settings of its own: the set-up every GUI test shares.
 * {@link #close()} stops its workers and closes the stores. The stage's size is the test's to set
 * ({@link #place}).
 */
final class EmbeddedWindow implements AutoCloseable {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final EndpointCatalog catalog;
    private final OciLayoutStore store;
    private final SettingsStore settings;
    private final MainWindow.Parts parts;

    private EmbeddedWindow(Stage stage, Path home, DockerArchive images, List<ImageStore> engines) throws Exception {
        this(stage, home, images, engines, null);
    }

    private EmbeddedWindow(Stage stage, Path home, DockerArchive images, List<ImageStore> engines, SettingsStore shared)
            throws Exception {
        long unique = System.nanoTime();
        store = OciLayoutStore.open(Files.createDirectories(home.resolve("store-" + unique)));
        if (images != null) {
            store.load(images.writeTo(home.resolve("images-" + unique + ".tar")));
        }
        List<ImageStore> stores = new ArrayList<>(List.of(store));
        stores.addAll(engines);
        catalog = new EndpointCatalog(stores);
        settings = shared != null ? shared : new SettingsStore(home.resolve("settings-" + unique + ".json"));
        Theme.LIGHT.apply();
        parts = MainWindow.open(stage, new DesktopContext(catalog, executor, settings));
    }

    /** The window's view models. */
    MainWindow.Parts parts() {
        return parts;
    }

    /** Every store of the rail, the embedded one first. */
    EndpointCatalog catalog() {
        return catalog;
    }

    /** The embedded store (the rail's first entry). */
    OciLayoutStore store() {
        return store;
    }

    /** The settings file the window reads and writes. */
    SettingsStore settings() {
        return settings;
    }

    static EmbeddedWindow show(Stage stage, Path home, DockerArchive images) throws Exception {
        return new EmbeddedWindow(stage, home, images, List.of());
    }

    /** As {@link #show}, reading and writing {@code settings} (another window's: a restart). Call on the FX thread. */
    static EmbeddedWindow show(Stage stage, Path home, DockerArchive images, SettingsStore settings) throws Exception {
        return new EmbeddedWindow(stage, home, images, List.of(), settings);
    }

    /** An embedded store holding {@code images}, then {@code engines} in the rail. Call on the FX thread. */
    static EmbeddedWindow show(Stage stage, Path home, DockerArchive images, ImageStore... engines) throws Exception {
        return new EmbeddedWindow(stage, home, images, List.of(engines));
    }

    /** The first start: an embedded store with no image. */
    static EmbeddedWindow showEmpty(Stage stage, Path home) throws Exception {
        return new EmbeddedWindow(stage, home, null, List.of());
    }

    /** An empty embedded store, then {@code engines} in the rail (see {@link #engine}). Call on the FX thread. */
    static EmbeddedWindow withEngines(Stage stage, Path home, ImageStore... engines) throws Exception {
        return new EmbeddedWindow(stage, home, null, List.of(engines));
    }

    /** As {@link #withEngines}, from a test thread: the window is built on the FX thread. */
    static EmbeddedWindow openWithEngines(Stage stage, Path home, ImageStore... engines) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> withEngines(stage, home, engines)).get(30, TimeUnit.SECONDS);
    }

    /**
     * Puts {@code stage} at the screen's top left corner, {@code width} x {@code height}: called right
     * after the window is shown, before its images are read, as the screenshot walk does.
     */
    static void place(Stage stage, double width, double height) {
        stage.setX(0);
        stage.setY(0);
        stage.setWidth(width);
        stage.setHeight(height);
    }

    /** A store for one of the harness's engines, named "test dockerd" or "test podman", found as DOCKER_HOST would be. */
    static ImageStore engine(EnginePeer peer) {
        return engine("test " + peer.kind().label(), peer.host());
    }

    /** A store for the engine at {@code host}, named {@code name}. */
    static ImageStore engine(String name, String host) {
        return DockerEngineStore.of(new EngineAddress(name, host, EngineAddress.Source.DOCKER_HOST, false,
                Optional.empty(), true), EngineCredentials.anonymous());
    }

    @Override
    public void close() throws Exception {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        catalog.close();
    }
}
