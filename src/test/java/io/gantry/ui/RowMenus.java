package io.gantry.ui;

import io.gantry.service.ImageTable;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import javafx.geometry.Side;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.TableRow;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** The GUI tests' way to open an image row's menu in the images table. */
public final class RowMenus {

    private RowMenus() {
    }

    /**
     * Shows the menu of the row whose image {@code image} matches, and returns it. The row is found and
     * its menu shown in one FX step, once the row has its menu: a reused row gets its item before it
     * stops being empty, and only then its menu, so a row read from the test thread could be seen
     * without one. Waits up to 60 s.
     */
    public static ContextMenu show(FxRobot robot, Predicate<ImageTable.Row> image) throws Exception {
        AtomicReference<ContextMenu> shown = new AtomicReference<>();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> {
            Optional<TableRow<?>> row = robot.lookup(".table-row-cell").match((TableRow<?> r) -> !r.isEmpty()
                    && r.getContextMenu() != null && r.getItem() instanceof ImageTable.Row item && image.test(item))
                    .tryQuery();
            row.ifPresent(r -> {
                r.getContextMenu().show(r, Side.BOTTOM, 20, 0);
                shown.set(r.getContextMenu());
            });
            return row.isPresent();
        }).get());
        return shown.get();
    }
}
