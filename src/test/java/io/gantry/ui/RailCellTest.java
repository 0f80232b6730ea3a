package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.ImageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImages;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.text.Text;
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
 * Issue 13, item 9: a long endpoint name in the rail elides in the middle (both ends stay
 * readable) and its tooltip has it whole with the address; an engine that does not answer shows no
 * version line. The version line of a live engine: {@code MainWindowEngineTest}. A line of figures
 * too long for the rail breaks between figures, never leaving a lone "·" (the screenshot walk saw
 * "embedded ·" over "2 images · 7.71MB").
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class RailCellTest {

    private static final String LONG_NAME = "rancher-desktop-context-of-the-platform-team-k3s-node";

    @TempDir
    static Path home;

    private EmbeddedWindow window;

    @Start
    void start(Stage stage) throws Exception {
        // a socket nothing listens on: the engine is disconnected at once
        Path socket = Files.createDirectories(home.resolve("no-engine-" + System.nanoTime())).resolve("docker.sock");
        ImageStore dead = EmbeddedWindow.engine(LONG_NAME, "unix://" + socket);
        DockerArchive image = new DockerArchive().add(new FixtureImages().image(FixtureImages.unique("rail/app"))
                .bigLayer(1_100_000, 7), "rail/app:1");
        window = EmbeddedWindow.show(stage, home, image, dead);
        stage.setWidth(1200);
        stage.setHeight(720);
    }

    @AfterEach
    void stop() throws Exception {
        window.close();
    }

    @Test
    void aLongNameElidesInTheMiddleWithItsTooltip(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> window.parts().model().endpoints().get(1).stateProperty().get()
                == EndpointItem.State.DISCONNECTED);
        WaitForAsyncUtils.waitForFxEvents();
        ListCell<?> cell = robot.lookup(".list-cell").match((ListCell<?> c) -> c.getItem() instanceof EndpointItem item
                && item.endpoint().name().equals(LONG_NAME)).queryAs(ListCell.class);
        Label name = (Label) cell.lookup("#endpoint-name");

        assertThat(name.getText()).isEqualTo(LONG_NAME);
        String drawn = drawn(name);
        assertThat(drawn).as("the rail is narrower than the name").isNotEqualTo(LONG_NAME)
                .startsWith("ranch").endsWith("node").contains("...");
        assertThat(cell.getTooltip().getText()).contains(LONG_NAME).contains("docker.sock");
        assertThat(((Label) cell.lookup("#endpoint-usage")).getText()).isEqualTo("disconnected");
        assertThat(cell.lookup("#endpoint-engine").isVisible()).as("no version for an engine that does not answer").isFalse();
    }

    @Test
    void figuresTooLongForTheRailBreakBetweenFiguresNeverAtADot(FxRobot robot) throws Exception {
        EndpointItem embedded = window.parts().model().endpoints().get(0);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> embedded.summaryProperty().get().contains("1 image"));
        WaitForAsyncUtils.waitForFxEvents();
        ListCell<?> cell = robot.lookup(".list-cell").match((ListCell<?> c) -> c.getItem() == embedded)
                .queryAs(ListCell.class);
        Label usage = (Label) cell.lookup("#endpoint-usage");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> usage.getText().contains("MB"))
                .get(30, TimeUnit.SECONDS));
        List<String> lines = WaitForAsyncUtils.asyncFx(() -> List.of(usage.getText().split("\n"))).get(30, TimeUnit.SECONDS);
        double room = WaitForAsyncUtils.asyncFx(() -> usage.getWidth() - usage.snappedLeftInset()
                - usage.snappedRightInset()).get(30, TimeUnit.SECONDS);
        javafx.scene.text.Font font = usage.getFont();

        assertThat(String.join(" · ", lines).replace('\u00A0', ' ')).matches("embedded · 1 image · [\\d.]+MB");
        assertThat(lines).as("the default rail is too narrow for the three figures on one line").hasSizeGreaterThan(1);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line).doesNotStartWith("·").doesNotEndWith("·").doesNotStartWith(" ·").doesNotEndWith("· ");
            Text probe = new Text(line);
            probe.setFont(font);
            assertThat(probe.getLayoutBounds().getWidth()).as("'%s' fits the rail, the label need not wrap it", line)
                    .isLessThanOrEqualTo(room);
        });
    }

    private static String drawn(Label label) {
        return label.getChildrenUnmodifiable().stream().filter(n -> n instanceof Text).map(n -> ((Text) n).getText())
                .findFirst().orElse("");
    }
}
