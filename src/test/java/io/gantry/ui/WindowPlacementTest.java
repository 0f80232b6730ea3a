package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.settings.Settings;
import java.util.List;
import java.util.Optional;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

/** Issue 13, item 9: the main window never opens larger than the screen or off it. */
class WindowPlacementTest {

    private static final Rectangle2D LAPTOP = new Rectangle2D(0, 0, 1024, 568); // 1024x600 less a 32 px panel
    private static final Rectangle2D RIGHT = new Rectangle2D(1024, 0, 1920, 1050);

    @Test
    void theFirstStartFitsASmallScreen() {
        WindowPlacement place = WindowPlacement.of(Optional.empty(), List.of(LAPTOP), LAPTOP);

        assertThat(place).isEqualTo(new WindowPlacement(0, 0, 1024, 568));
    }

    @Test
    void theFirstStartCentresTheDefaultSizeOnALargeScreen() {
        Rectangle2D screen = new Rectangle2D(0, 30, 1920, 1050);

        WindowPlacement place = WindowPlacement.of(Optional.empty(), List.of(screen), screen);

        assertThat(place).isEqualTo(new WindowPlacement(360, 30 + 165, 1200, 720));
    }

    @Test
    void boundsSavedOnALargerScreenShrinkOntoTheScreenTheyOverlap() {
        Settings.WindowBounds saved = new Settings.WindowBounds(-40, 100, 1600, 1000, false);

        WindowPlacement place = WindowPlacement.of(Optional.of(saved), List.of(LAPTOP), LAPTOP);

        assertThat(place).isEqualTo(new WindowPlacement(0, 0, 1024, 568));
    }

    @Test
    void boundsOnAScreenThatIsGoneMoveOntoThePrimaryOne() {
        Settings.WindowBounds saved = new Settings.WindowBounds(3000, 200, 800, 500, false);

        WindowPlacement place = WindowPlacement.of(Optional.of(saved), List.of(LAPTOP, RIGHT), LAPTOP);

        assertThat(place).isEqualTo(new WindowPlacement(224, 68, 800, 500));
    }

    @Test
    void boundsThatFitStayWhereTheyWere() {
        Settings.WindowBounds saved = new Settings.WindowBounds(1100, 40, 1300, 900, false);

        WindowPlacement place = WindowPlacement.of(Optional.of(saved), List.of(LAPTOP, RIGHT), LAPTOP);

        assertThat(place).isEqualTo(new WindowPlacement(1100, 40, 1300, 900));
    }
}
