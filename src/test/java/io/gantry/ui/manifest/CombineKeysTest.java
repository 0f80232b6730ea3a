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
import io.gantry.ui.PromptFit;
import io.gantry.ui.Theme;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Combine window as walked with keys alone in the light theme (xdotool under Xvfb, session 18),
 * on an image of the embedded store: the image field's prompt was cut ("… or a registry refe"),
 * and after a push, closed with Esc and opened again, the window still showed the old push's log
 * beside a list not pushed since; on a 900x600 screen the failed push's message was cut to one line,
 * its advice lost. The push goes to a loopback port where nothing listens.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class CombineKeysTest {

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private OciLayoutStore store;
    private CombineViewModel model;
    private CombineWindow window;

    @BeforeEach
    void open() throws Exception {
        FixtureImage image = new FixtureImages().image("keys/app").layer("ADD a", l -> l.file("a", "one"));
        RegistryClient client = RegistryClient.builder().build();
        store = OciLayoutStore.open(dir.resolve("store"), StoreOptions.defaults().withPulls(new StorePulls(client, executor, 3)));
        store.load(new DockerArchive().add(image, "keys/app:1").writeTo(dir.resolve("image.tar")));
        ManifestDrafts drafts = new ManifestDrafts(dir.resolve("manifests"), () -> client);
        model = FxReads.onFx(() -> new CombineViewModel(drafts, new FxTasks(executor), Platform::runLater, () -> store));
        window = FxReads.onFx(() -> new CombineWindow(null, model, io.gantry.ui.Views.stylesheets()));
        show();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            window.stage().hide();
            Theme.LIGHT.apply();
        }).get(10, TimeUnit.SECONDS);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        store.close();
    }

    /** Opens the window from the image's menu, as the main window does, and waits for the image's row. */
    private void show() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> window.show(List.of("keys/app:1")));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> FxReads.onFx(() -> window.stage().isShowing()
                && !model.busyProperty().get() && !model.entries().isEmpty()));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void everyPromptReadsWholeInBothThemesOnBothScreens(FxRobot robot) throws Exception {
        List<String> cut = new ArrayList<>();
        // the window's size on a 900x600 screen (its height less 30) and on a 1440x900 one (1100x620)
        for (Theme theme : List.of(Theme.LIGHT, Theme.DARK)) {
            for (double[] size : List.of(new double[] {900, 570}, new double[] {1100, 620})) {
                robot.interact(() -> {
                    theme.apply();
                    window.stage().setWidth(size[0]);
                    window.stage().setHeight(size[1]);
                });
                WaitForAsyncUtils.waitForFxEvents();
                String where = theme + " " + (int) size[0] + "x" + (int) size[1];
                cut.addAll(FxReads.onFx(() -> PromptFit.cut(window.stage().getScene().getRoot(), where)));
            }
        }
        assertThat(FxReads.onFx(() -> PromptFit.prompts(window.stage().getScene().getRoot()))).isGreaterThanOrEqualTo(5);
        assertThat(cut).as("prompts and labels cut").isEmpty();
    }

    /**
     * In the window's size on a 900x600 screen, a failed push's message is read whole, advice and
     * all: it wrapped but was given one line, and ended "…http://127.0.0.1:1/…".
     */
    @Test
    void aFailedPushSaysAllOfItOnASmallScreen(FxRobot robot) throws Exception {
        robot.interact(() -> {
            window.stage().setWidth(900);
            window.stage().setHeight(570);
            window.stage().getScene().lookup("#combine-name").requestFocus();
        });
        robot.write("127.0.0.1:1/keys/list:1");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> !model.busyProperty().get()
                && model.messageProperty().get().startsWith("Registry or engine unreachable")));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(FxReads.onFx(() -> model.messageProperty().get())).contains("then try again");
        assertThat(FxReads.onFx(() -> PromptFit.cut(window.stage().getScene().getRoot(), "900x570 after the push")))
                .as("prompts and labels cut").isEmpty();
    }

    /**
     * Return in the list's name pushes (the default button), Esc closes, and the window opened again
     * from the menu shows no log or message of the push that ended before it closed.
     */
    @Test
    void reopenedItShowsNoOldPush(FxRobot robot) throws Exception {
        robot.interact(() -> window.stage().getScene().lookup("#combine-name").requestFocus());
        robot.write("127.0.0.1:1/keys/list:1");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> FxReads.onFx(() -> !model.busyProperty().get()
                && model.messageProperty().get().startsWith("Registry or engine unreachable")));
        assertThat(FxReads.onFx(() -> List.copyOf(model.progress()))).as("the failed push's log").isNotEmpty();

        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> FxReads.onFx(() -> !window.stage().isShowing()));
        show();

        assertThat(FxReads.onFx(() -> List.copyOf(model.progress()))).as("no log of the push before").isEmpty();
        assertThat(FxReads.onFx(() -> window.stage().getScene().lookup("#combine-progress").isVisible())).isFalse();
        assertThat(FxReads.onFx(() -> model.messageProperty().get())).doesNotContain("unreachable");
        assertThat(FxReads.onFx(() -> model.nameProperty().get())).as("the list's name is kept")
                .isEqualTo("127.0.0.1:1/keys/list:1");
    }
}
