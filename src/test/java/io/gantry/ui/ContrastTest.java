package io.gantry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.ImageTable;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.TableView;
import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.LinearGradient;
import javafx.scene.paint.Paint;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;
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
 * Issue 13, item 11: in the light and the dark theme, every piece of text the main window draws (labels, cells, headers, placeholders, the status bar) has a WCAG AA contrast with
 * the background behind it: 4.5:1, or 3:1 for large text. Disabled controls are exempt, as WCAG
 * exempts inactive ones. The background is the innermost fill of the nearest region that paints one.
 */
@Tag("gui")
@ExtendWith(ApplicationExtension.class)
class ContrastTest {

    @TempDir
    static Path home;

    private EmbeddedWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        FixtureImage app = new FixtureImages().image("contrast/app").bigLayer(40_000, 1);
        window = EmbeddedWindow.show(stage, home, new DockerArchive().add(app, "contrast/app:1"));
    }

    @AfterEach
    void stop() throws Exception {
        window.close();
        Theme.LIGHT.apply();
    }

    @Test
    void everyTextMeetsAaContrastInBothThemes(FxRobot robot) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Theme theme : Theme.values()) {
            robot.interact(theme::apply); // live, as Settings switches it
            TableView<ImageTable.Row> table = robot.lookup("#images-table").queryTableView();
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 1);
            robot.interact(() -> table.getSelectionModel().select(0)); // a selected row: white on accent
            WaitForAsyncUtils.waitForFxEvents();
            check(theme + " main window", stage.getScene().getRoot(), failures);
            if (theme == Theme.DARK) { // ControlsFX's status bar drew a lightgray ring: a white outline on black
                Region status = robot.lookup("#status-bar").queryAs(Region.class);
                for (BackgroundFill fill : status.getBackground().getFills()) {
                    assertThat(luminance((Color) fill.getFill())).as("status bar fill " + fill.getFill()).isLessThan(0.1);
                }
            }
            robot.interact(() -> table.requestFocus());
            check(theme + " main window, table focused", stage.getScene().getRoot(), failures);

            // the error toast (ControlsFX Notifications) is styled in gantry.css the same way; it is not shown
            // here, because its popups outlive the test and took the robot's clicks in the next GUI test
        }
        assertThat(failures).isEmpty();
    }

    private static java.util.Optional<Parent> toast() {
        WaitForAsyncUtils.waitForFxEvents();
        return List.copyOf(Window.getWindows()).stream().filter(w -> w.isShowing() && w.getScene() != null)
                .map(w -> w.getScene().getRoot()).map(root -> root.lookup(".notification-bar"))
                .filter(java.util.Objects::nonNull).map(Parent.class::cast).findFirst();
    }

    private static void check(String where, Parent root, List<String> failures) {
        WaitForAsyncUtils.waitForFxEvents();
        for (Node node : root.lookupAll("*")) {
            if (!(node instanceof Text text) || !shown(text) || text.getText() == null || text.getText().isBlank()
                    || text.getStyleClass().contains("ikonli-font-icon")) {
                continue;
            }
            if (!(text.getFill() instanceof Color fill)) {
                continue;
            }
            Color background = backgroundOf(text);
            Color drawn = blend(fill, background);
            double ratio = contrast(drawn, background);
            boolean large = text.getFont().getSize() >= 24 || text.getFont().getSize() >= 18.66
                    && text.getFont().getStyle().toLowerCase().contains("bold");
            double needed = large ? 3.0 : 4.5;
            if (ratio < needed) {
                failures.add(String.format("%s: \"%s\" %s on %s = %.2f:1 (needs %.1f) in %s", where, text.getText(),
                        hex(drawn), hex(background), ratio, needed, path(text)));
            }
        }
    }

    /** Visible, not disabled (WCAG exempts inactive controls), inside the window. */
    private static boolean shown(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible() || n.getOpacity() == 0 || n.isDisabled()) {
                return false;
            }
        }
        javafx.geometry.Bounds b = node.localToScene(node.getBoundsInLocal());
        return node.getScene() != null && b.getMaxX() > 0 && b.getMaxY() > 0
                && b.getMinX() < node.getScene().getWidth() && b.getMinY() < node.getScene().getHeight();
    }

    private static Color backgroundOf(Node node) {
        for (Node n = node.getParent(); n != null; n = n.getParent()) {
            if (n instanceof Region region && region.getBackground() != null) {
                Color fill = innermost(region.getBackground());
                if (fill != null) {
                    return fill.getOpacity() >= 0.99 ? fill : blend(fill, backgroundOf(region));
                }
            }
        }
        Paint scene = node.getScene() == null ? null : node.getScene().getFill();
        return scene instanceof Color c ? c : Color.WHITE;
    }

    private static Color innermost(Background background) {
        List<BackgroundFill> fills = background.getFills();
        for (int i = fills.size() - 1; i >= 0; i--) {
            Paint paint = fills.get(i).getFill();
            Color color = paint instanceof Color c ? c
                    : paint instanceof LinearGradient g ? g.getStops().get(g.getStops().size() - 1).getColor() : null;
            if (color != null && color.getOpacity() > 0.05) {
                return color;
            }
        }
        return null;
    }

    private static Color blend(Color top, Color under) {
        double a = top.getOpacity();
        return Color.color(top.getRed() * a + under.getRed() * (1 - a), top.getGreen() * a + under.getGreen() * (1 - a),
                top.getBlue() * a + under.getBlue() * (1 - a));
    }

    /** WCAG 2 contrast ratio. */
    static double contrast(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(Color c) {
        return 0.2126 * channel(c.getRed()) + 0.7152 * channel(c.getGreen()) + 0.0722 * channel(c.getBlue());
    }

    private static double channel(double v) {
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    private static String hex(Color c) {
        return String.format("#%02x%02x%02x", (int) Math.round(c.getRed() * 255), (int) Math.round(c.getGreen() * 255),
                (int) Math.round(c.getBlue() * 255));
    }

    private static String path(Node node) {
        StringBuilder path = new StringBuilder();
        for (Node n = node.getParent(); n != null && path.length() < 160; n = n.getParent()) {
            path.append(n.getStyleClass().isEmpty() ? n.getClass().getSimpleName() : String.join(".", n.getStyleClass()))
                    .append(n.getId() == null ? "" : "#" + n.getId()).append(" < ");
        }
        return path.toString();
    }
}
