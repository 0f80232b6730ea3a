package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
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
 * Issue 13, item 13: the first start on an empty embedded store tells a newcomer what to do, and
 * the search box keeps its hint while it has the focus (a focused text field used to hide its
 * placeholder, so the one box a newcomer is sent to said nothing).
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class FirstStartTest {

    @TempDir
    static Path home;

    private EmbeddedWindow window;

    @Start
    void start(Stage stage) throws Exception {
        stage.setWidth(1200);
        stage.setHeight(720);
        window = EmbeddedWindow.showEmpty(stage, home);
    }

    @AfterEach
    void stop() throws Exception {
        window.close();
    }

    @Test
    void anEmptyStoreSaysWhatToDoAndTheFocusedSearchBoxKeepsItsHint(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#images-placeholder").tryQuery()
                .map(node -> ((Label) node).getText().startsWith("No images on")).orElse(false));
        Label placeholder = robot.lookup("#images-placeholder").queryAs(Label.class);
        assertThat(placeholder.getText()).contains("yet").contains("Search (Ctrl+F)").contains("alpine:3.20");

        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        TextField search = robot.lookup("#search-field").queryAs(TextField.class);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, search::isFocused);
        WaitForAsyncUtils.waitForFxEvents();
        Text prompt = robot.from(search).lookup((Node node) -> node instanceof Text text
                && search.getPromptText().equals(text.getText())).queryAs(Text.class);
        assertThat(prompt.isVisible()).as("the prompt is drawn while the box has the focus").isTrue();
        assertThat(prompt.getFill()).isInstanceOf(Color.class);
        assertThat(((Color) prompt.getFill()).getOpacity()).as("the prompt's colour is not transparent").isGreaterThan(0.5);
        assertThat(placeholder.isVisible()).isTrue();
        assertThat(placeholder.getScene()).isNotNull();
    }
}
