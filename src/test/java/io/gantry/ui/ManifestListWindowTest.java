package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.service.ImageTable;
import io.gantry.testing.BothEngines;
import io.gantry.testing.EnginePeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.PodmanPeer;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.ui.manifest.ManifestListsViewModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 19, item 3: a manifest list made with Podman's own CLI ({@code podman manifest create/add},
 * as Podman Desktop users make them) shows in the window on the Podman endpoint, apart from the
 * images: "Manifest lists (N)" after the filters, the list with its platforms, and in the details
 * each platform's manifest digest and whether this endpoint has its image. dockerd keeps no lists
 * apart from its images, so there the button never shows.
 */
@Tag("peer")
@Tag("gui")
@ExtendWith({ApplicationExtension.class, RegistryExtension.class})
class ManifestListWindowTest {

    @TempDir
    Path home;

    private final FixtureImages images = new FixtureImages();
    private final ObjectMapper json = new ObjectMapper();
    private Stage stage;
    private EmbeddedWindow window;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    @BothEngines.Test
    void podmansManifestListsShowWithTheirPlatformsAndWhichAreHere(EnginePeer engine, RegistryPeer registry,
                                                                  FxRobot robot) throws Exception {
        String repository = FixtureImages.unique("wlist");
        FixtureImage amd = images.image(repository + "-amd").layer("ADD a", l -> l.file("a", repository + "amd"));
        FixtureImage arm = images.image(repository + "-arm").layer("ADD a", l -> l.file("a", repository + "arm"));
        engine.load(amd);
        registry.pusher().push(arm); // in the registry only: a platform whose image this endpoint lacks
        String list = "localhost/" + repository + ":1";
        JsonNode expected = null;
        if (engine.kind() == EnginePeer.Kind.PODMAN) {
            PodmanPeer podman = (PodmanPeer) engine;
            podman.podmanOk("manifest", "create", list);
            podman.podmanOk("manifest", "add", "--os", "linux", "--arch", "amd64", list,
                    "containers-storage:" + amd.imageId().substring(7));
            podman.podmanOk("manifest", "add", "--tls-verify=false", "--os", "linux", "--arch", "arm64", "--variant", "v8",
                    list, "docker://" + arm.reference(registry.hostPort()));
            expected = json.readTree(podman.podmanOk("manifest", "inspect", list).out());
            assertThat(expected.path("manifests")).hasSize(2);
        }

        window = EmbeddedWindow.openWithEngines(stage, home, EmbeddedWindow.engine(engine));
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        ManifestListsViewModel lists = window.parts().model().manifestLists();
        robot.interact(() -> rail.getSelectionModel().select(1));
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> lists.readsProperty().get() > 0);
        ToggleButton button = robot.lookup("#filter-manifest-lists").queryAs(ToggleButton.class);
        assertThat(FxReads.items(table)).as("a list is no image")
                .anyMatch(row -> row.repository().endsWith(repository + "-amd"))
                .noneMatch(row -> row.repository().endsWith("/" + repository) || row.repository().equals(repository));

        if (engine.kind() != EnginePeer.Kind.PODMAN) {
            assertThat(lists.rows()).isEmpty();
            assertThat(button.isVisible()).as("no lists, no button").isFalse();
            return;
        }
        assertThat(button.isVisible()).isTrue();
        assertThat(button.getText()).isEqualTo("Manifest lists (" + lists.rows().size() + ")");
        robot.clickOn(button);
        WaitForAsyncUtils.waitForFxEvents();
        TableView<ManifestListsViewModel.Row> shown = robot.lookup("#manifest-lists").queryTableView();
        assertThat(shown.isVisible()).isTrue();
        assertThat(table.isVisible()).isFalse();
        ManifestListsViewModel.Row row = List.copyOf(shown.getItems()).stream()
                .filter(r -> r.list().names().contains(list)).findFirst().orElseThrow();
        assertThat(row.platformsText()).isEqualTo("linux/amd64, linux/arm64/v8");
        assertThat(row.localText()).isEqualTo("1 of 2");

        robot.interact(() -> shown.getSelectionModel().select(row));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#manifest-list-title").queryAs(Label.class).getText()).isEqualTo(list);
        TableView<ManifestListsViewModel.Platform> platforms = robot.lookup("#manifest-list-platforms").queryTableView();
        assertThat(platforms.isVisible()).isTrue();
        List<ManifestListsViewModel.Platform> entries = List.copyOf(platforms.getItems());
        assertThat(entries).hasSize(2);
        for (int i = 0; i < 2; i++) { // the digests podman manifest inspect prints, in its order
            assertThat(entries.get(i).entry().digest().toString())
                    .isEqualTo(expected.path("manifests").get(i).path("digest").asText());
        }
        assertThat(entries.get(0).local()).isPresent();
        assertThat(entries.get(0).local().get().id().toString()).isEqualTo(amd.imageId());
        assertThat(entries.get(0).localText()).contains(amd.repository());
        assertThat(entries.get(1).local()).isEmpty();
        assertThat(entries.get(1).localText()).isEqualTo("not on this endpoint");

        // the filter text narrows the lists too; All brings the images back
        robot.interact(() -> window.parts().model().filterTextProperty().set("no-such-list"));
        assertThat(shown.getItems()).isEmpty();
        robot.interact(() -> window.parts().model().filterTextProperty().set(""));
        robot.clickOn("#filter-all");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table.isVisible()).isTrue();
        assertThat(shown.isVisible()).isFalse();

        // the embedded store keeps no lists: no button there
        robot.interact(() -> rail.getSelectionModel().select(0));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> lists.readsProperty().get() > 0);
        assertThat(button.isVisible()).isFalse();
        podmanRm(engine, list);
    }

    private static void podmanRm(EnginePeer engine, String list) {
        ((PodmanPeer) engine).podman("manifest", "rm", list);
    }
}
