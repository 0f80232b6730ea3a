package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.ImageTable;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 13, item 10: choosing another endpoint clears the previous one's rows at once and the
 * table says "Loading images from …" until the endpoint answers, never another endpoint's images
 * under this one's name. The slow endpoint is a socket on a free loopback port that accepts
 * connections and never answers (a hung engine); closing it ends the listing with the error state.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class LoadingStateTest {

    @TempDir
    static Path home;

    private EmbeddedWindow window;
    private ServerSocket hung;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private String repository;

    @Start
    void start(Stage stage) throws Exception {
        hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!hung.isClosed()) {
                try {
                    accepted.add(hung.accept()); // read nothing, answer nothing
                } catch (IOException closed) {
                    return;
                }
            }
        }, "hung-engine");
        acceptor.setDaemon(true);
        acceptor.start();
        repository = FixtureImages.unique("loading/app");
        DockerArchive images = new DockerArchive().add(new FixtureImages().image(repository).bigLayer(5_000, 1),
                repository + ":1");
        window = EmbeddedWindow.show(stage, home, images,
                EmbeddedWindow.engine("hung engine", "tcp://127.0.0.1:" + hung.getLocalPort()));
        stage.setWidth(1200);
        stage.setHeight(720);
    }

    @AfterEach
    void stop() throws Exception {
        release();
        window.close();
    }

    @Test
    void anotherEndpointsRowsGoAtOnceAndTheTableSaysItIsLoading(FxRobot robot) throws Exception {
        ListView<EndpointItem> rail = robot.lookup("#endpoint-list").queryListView();
        TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> table.getItems().size() == 1);

        robot.interact(() -> {
            rail.getSelectionModel().select(1);
            // in the same FX event: nothing of the embedded store is left under the engine's name
            assertThat(table.getItems()).isEmpty();
        });
        Label placeholder = robot.lookup("#images-placeholder").queryAs(Label.class);
        assertThat(placeholder.getText()).isEqualTo("Loading images from hung engine…");
        assertThat(window.parts().model().loadingProperty().get()).isTrue();
        for (int i = 0; i < 5; i++) {
            robot.interact(() -> window.parts().model().refresh()); // an F5 or an engine event meanwhile
        }
        assertThat(robot.lookup("#images-placeholder").queryAs(Label.class).getText())
                .isEqualTo("Loading images from hung engine…");

        release(); // the engine goes away: the listing ends with the reason, not with loading forever
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> robot.lookup("#listing-error").tryQuery().isPresent()
                && !window.parts().model().loadingProperty().get());
        assertThat(table.getItems()).isEmpty();

        robot.interact(() -> rail.getSelectionModel().select(0));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> table.getItems().size() == 1);
        assertThat(table.getItems().get(0).repository()).isEqualTo(repository);
    }

    private void release() throws IOException {
        hung.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }
}
