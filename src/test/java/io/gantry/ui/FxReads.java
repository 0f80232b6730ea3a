package io.gantry.ui;

import io.gantry.service.ImageTable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The GUI tests' reads of what the window shows, made on the FX thread. A table's items are a
 * {@code SortedList} the FX thread rebuilds on every listing; iterating it from the test thread
 * while that happens fails now and then ({@code NullPointerException} inside {@code SortedList.get},
 * seen in CI in {@code MainWindowEngineTest}), so a test copies the items in one FX step.
 */
public final class FxReads {

    private FxReads() {
    }

    /** {@code read} on the FX thread (at once when already on it); waits up to 30 s. */
    public static <T> T onFx(Callable<T> read) {
        try {
            return Platform.isFxApplicationThread() ? read.call()
                    : WaitForAsyncUtils.asyncFx(read).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("reading the window failed", e);
        }
    }

    /** A copy of the table's items as shown now. */
    public static <T> List<T> items(TableView<T> table) {
        return onFx(() -> List.copyOf(table.getItems()));
    }

    /** A copy of the list's items as shown now. */
    public static <T> List<T> items(ListView<T> list) {
        return onFx(() -> List.copyOf(list.getItems()));
    }

    /** Each image row as {@code repository:tag}, in the table's order. */
    public static List<String> references(TableView<ImageTable.Row> table) {
        return items(table).stream().map(r -> r.repository() + ":" + r.tag()).toList();
    }
}
