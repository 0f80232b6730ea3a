package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.scene.Scene;
import javafx.scene.control.Control;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 13, item 15: Down in a result table or list that has the focus and no selection selects the
 * first row (JavaFX's own Down moves on from the row it focuses by default, the first, and so
 * selected the second), then moves on row by row.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class DownSelectsFirstRowTest {

    private TableView<String> table;
    private ListView<String> list;

    @Start
    void start(Stage stage) {
        table = new TableView<>(FXCollections.observableArrayList("a", "b", "c"));
        list = new ListView<>(FXCollections.observableArrayList("x", "y", "z"));
        TableColumn<String, String> column = new TableColumn<>("NAME");
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue()));
        table.getColumns().add(column);
        Views.downSelectsFirstRow(table);
        Views.downSelectsFirstRow(list);
        stage.setScene(new Scene(new VBox(new TextField(), table, list), 400, 500));
        stage.show();
    }

    @Test
    void downInATableWithNoSelectionSelectsItsFirstRow(FxRobot robot) {
        for (Control control : List.<Control>of(table, list)) {
            robot.interact(control::requestFocus);
            robot.type(KeyCode.DOWN);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(selected(control)).as("Down in %s with nothing selected", control.getClass().getSimpleName())
                    .isZero();
            robot.type(KeyCode.DOWN);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(selected(control)).as("then the next row").isEqualTo(1);
        }
    }

    private static int selected(Control control) {
        return control instanceof TableView<?> t ? t.getSelectionModel().getSelectedIndex()
                : ((ListView<?>) control).getSelectionModel().getSelectedIndex();
    }
}
