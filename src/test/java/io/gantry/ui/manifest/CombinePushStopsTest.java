package io.gantry.ui.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.registry.RegistryClient;
import io.gantry.service.ManifestDrafts;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreOptions;
import io.gantry.store.StorePulls;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.ui.FxReads;
import io.gantry.ui.FxTasks;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A Combine push that fails leaves no layer saying it is still at work: seen by hand, the push log
 * kept "…: Preparing" after a push to a dead registry had failed. As the pull cards do, a layer the
 * push did not finish says "Stopped" (or "Cancelled"). The registry is a loopback port where nothing
 * listens; the list's image is the embedded store's own. Also: the IMAGE and DIGEST cells elide in
 * the middle (they cut the end, which tells names apart).
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class CombinePushStopsTest {

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws Exception {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aFailedPushLeavesNoLayerAtWork() throws Exception {
        FixtureImage image = new FixtureImages().image("stops/app").layer("ADD a", l -> l.file("a", "one"))
                .layer("ADD b", l -> l.file("b", "two"));
        RegistryClient client = RegistryClient.builder().build();
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"),
                StoreOptions.defaults().withPulls(new StorePulls(client, executor, 3)))) {
            store.load(new DockerArchive().add(image, "stops/app:1").writeTo(dir.resolve("image.tar")));
            ManifestDrafts drafts = new ManifestDrafts(dir.resolve("manifests"), () -> client);
            CombineViewModel model = FxReads.onFx(() -> new CombineViewModel(drafts, new FxTasks(executor),
                    Platform::runLater, () -> store));
            CombineWindow window = FxReads.onFx(() -> new CombineWindow(null, model, io.gantry.ui.Views.stylesheets()));
            WaitForAsyncUtils.asyncFx(() -> window.show(List.of("stops/app:1")));
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxReads.onFx(() -> !model.busyProperty().get()
                    && !model.messageProperty().get().startsWith("Reading")));
            assertThat(FxReads.onFx(() -> model.entries().size())).as(FxReads.onFx(() -> model.messageProperty().get()))
                    .isEqualTo(1);

            // a long name or digest elides in the middle, where names differ least, whole in a tooltip
            WaitForAsyncUtils.waitForFxEvents();
            List<String> cells = FxReads.onFx(() -> window.stage().getScene().lookup("#combine-entries")
                    .lookupAll(".table-cell").stream().map(javafx.scene.control.TableCell.class::cast)
                    .filter(cell -> cell.getText() != null && (cell.getText().startsWith("stops/")
                            || cell.getText().startsWith("sha256:")))
                    .map(cell -> cell.getTextOverrun() + " " + (cell.getTooltip() == null ? "" : cell.getTooltip().getText()))
                    .toList());
            assertThat(cells).hasSize(2).allMatch(cell -> cell.startsWith("CENTER_ELLIPSIS "))
                    .anyMatch(cell -> cell.endsWith(" stops/app:1"));

            WaitForAsyncUtils.asyncFx(() -> {
                model.nameProperty().set("127.0.0.1:1/stops/list:1");
                model.push();
            });
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> !model.busyProperty().get()
                    && !model.messageProperty().get().startsWith("Pushing")));
            String message = FxReads.onFx(() -> model.messageProperty().get());
            List<String> log = FxReads.onFx(() -> List.copyOf(model.progress()));

            assertThat(message).as(message).startsWith("Registry or engine unreachable");
            FxReads.onFx(() -> {
                window.stage().hide();
                return null;
            });
            assertThat(log).as("the push's log").isNotEmpty()
                    .noneMatch(line -> line.endsWith("Preparing") || line.endsWith("Waiting") || line.contains("Pushing"))
                    .anyMatch(line -> line.endsWith(": Stopped"));
        }
    }
}
