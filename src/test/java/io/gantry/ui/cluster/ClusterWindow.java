package io.gantry.ui.cluster;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gantry.engine.cluster.fabric8.Fabric8Clusters;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.settings.SettingsStore;
import io.gantry.store.OciLayoutStore;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.MockKubeconfig;
import io.gantry.ui.DesktopContext;
import io.gantry.ui.MainWindow;
import io.gantry.ui.Theme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;

/**
 * The cluster GUI tests' main window: an embedded store and one {@link ClusterAccess} over a
 * kubeconfig that points at fabric8's mock server (CRUD mode, no kube-apiserver can run here), light
 * theme, 1280x800. Each test opens one in its {@code @Start} and closes it after the test.
 */
final class ClusterWindow implements AutoCloseable {

    private final ExecutorService executor;
    private final EndpointCatalog catalog;

    private ClusterWindow(ExecutorService executor, EndpointCatalog catalog) {
        this.executor = executor;
        this.catalog = catalog;
    }

    /** A kubeconfig in {@code home} whose context "mock" points at {@code server} (namespace shop), then {@code more} contexts. */
    static Path kubeconfig(Path home, KubernetesMockServer server, String... more) throws IOException {
        String[] contexts = new String[more.length + 1];
        contexts[0] = "mock=http://" + server.getHostName() + ":" + server.getPort() + "=shop";
        System.arraycopy(more, 0, contexts, 1, more.length);
        return Files.writeString(home.resolve("kubeconfig-" + System.nanoTime()), MockKubeconfig.yaml("mock", contexts));
    }

    /** The clusters of {@code kubeconfig}, as the app reads them with {@code KUBECONFIG} set. */
    static Fabric8Clusters clusters(Path kubeconfig, Path home) {
        return new Fabric8Clusters(Map.of("KUBECONFIG", kubeconfig.toString()), home);
    }

    /** The cluster access the app builds from a kubeconfig whose context "mock" points at {@code server}. */
    static ClusterAccess access(Path home, KubernetesMockServer server) throws IOException {
        return ClusterAccess.of(clusters(kubeconfig(home, server), home));
    }

    /** An embedded store of its own in {@code home}, holding the images of {@code archive} (loaded as {@code gantry load} does). */
    static OciLayoutStore storeWith(Path home, DockerArchive archive) throws IOException {
        OciLayoutStore store = emptyStore(home);
        store.load(archive.writeTo(home.resolve("image-" + System.nanoTime() + ".tar")));
        return store;
    }

    /** An empty embedded store of its own in {@code home}. */
    static OciLayoutStore emptyStore(Path home) throws IOException {
        return OciLayoutStore.open(Files.createDirectories(home.resolve("store-" + System.nanoTime())));
    }

    /** Opens the main window on {@code stage} over {@code store} and {@code access}. */
    static ClusterWindow open(Stage stage, Path home, OciLayoutStore store, ClusterAccess access) {
        ExecutorService executor = Executors.newCachedThreadPool();
        EndpointCatalog catalog = new EndpointCatalog(List.of(store));
        SettingsStore settings = new SettingsStore(home.resolve("settings-" + System.nanoTime() + ".json"));
        DesktopContext base = new DesktopContext(catalog, executor, settings);
        Theme.LIGHT.apply();
        stage.setWidth(1280);
        stage.setHeight(800);
        MainWindow.open(stage, new DesktopContext(catalog, executor, settings, base.browser(), base.updates(),
                base.engines(), base.pulls(), Optional.empty(), Optional.of(access)));
        return new ClusterWindow(executor, catalog);
    }

    /** The executor the window's background work runs on. */
    ExecutorService executor() {
        return executor;
    }

    @Override
    public void close() throws Exception {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        catalog.close();
    }
}
