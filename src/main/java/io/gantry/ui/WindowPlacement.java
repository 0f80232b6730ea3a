package io.gantry.ui;

import io.gantry.service.settings.Settings;
import java.util.List;
import java.util.Optional;
import javafx.geometry.Rectangle2D;

/**
 * Where the main window opens: the bounds it had last time, moved and shrunk onto the screen they
 * overlap most (or the primary one when no screen shows them any more), or on the first start the
 * default size centred on the primary screen. Never larger than the screen's visual bounds (the
 * area without task bars and docks), so every edge and the title bar can be reached.
 */
record WindowPlacement(double x, double y, double width, double height) {

    /** The size of the window on first start, where the screen has room for it. */
    static final double DEFAULT_WIDTH = 1200;
    static final double DEFAULT_HEIGHT = 720;

    /**
     * @param saved   the bounds remembered last time, if any
     * @param screens the visual bounds of every screen
     * @param primary the visual bounds of the primary screen
     */
    static WindowPlacement of(Optional<Settings.WindowBounds> saved, List<Rectangle2D> screens, Rectangle2D primary) {
        if (saved.isEmpty() || saved.get().width() <= 0 || saved.get().height() <= 0) {
            double width = Math.min(DEFAULT_WIDTH, primary.getWidth());
            double height = Math.min(DEFAULT_HEIGHT, primary.getHeight());
            return new WindowPlacement(primary.getMinX() + (primary.getWidth() - width) / 2,
                    primary.getMinY() + (primary.getHeight() - height) / 2, width, height);
        }
        Settings.WindowBounds bounds = saved.get();
        Rectangle2D screen = screens.stream()
                .max(java.util.Comparator.comparingDouble(s -> overlap(s, bounds)))
                .filter(s -> overlap(s, bounds) > 0)
                .orElse(primary);
        double width = Math.min(bounds.width(), screen.getWidth());
        double height = Math.min(bounds.height(), screen.getHeight());
        double x = Math.max(screen.getMinX(), Math.min(bounds.x(), screen.getMaxX() - width));
        double y = Math.max(screen.getMinY(), Math.min(bounds.y(), screen.getMaxY() - height));
        return new WindowPlacement(x, y, width, height);
    }

    private static double overlap(Rectangle2D screen, Settings.WindowBounds bounds) {
        double w = Math.min(screen.getMaxX(), bounds.x() + bounds.width()) - Math.max(screen.getMinX(), bounds.x());
        double h = Math.min(screen.getMaxY(), bounds.y() + bounds.height()) - Math.max(screen.getMinY(), bounds.y());
        return w > 0 && h > 0 ? w * h : 0;
    }
}
