package io.gantry.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;
import atlantafx.base.theme.Styles;

/** Small helpers the views share: loading a view's FXML with its controller, Gantry's stylesheet, copy buttons. */
public final class Views {

    private Views() {
    }

    /**
     * Loads {@code fxml} (a resource next to {@code owner}'s package, without {@code fx:controller})
     * and binds it to {@code controller}.
     */
    public static Parent load(Class<?> owner, String fxml, Object controller) {
        FXMLLoader loader = new FXMLLoader(Objects.requireNonNull(owner.getResource(fxml), fxml));
        loader.setController(controller);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException(fxml + " could not be loaded", e);
        }
    }

    /**
     * Gantry's stylesheets, which every window's scene adds over the AtlantaFX theme: {@code
     * gantry.css}, and {@code opaque-popups.css} where windows cannot be transparent (popups without
     * drop shadows, else their margins show as opaque frames).
     */
    public static java.util.List<String> stylesheets() {
        return stylesheets(javafx.application.Platform.isSupported(javafx.application.ConditionalFeature.TRANSPARENT_WINDOW));
    }

    /** As {@link #stylesheets()}, for a windowing system that can or cannot show transparent windows. */
    static java.util.List<String> stylesheets(boolean transparentWindows) {
        String gantry = Objects.requireNonNull(Views.class.getResource("gantry.css"), "gantry.css").toExternalForm();
        if (transparentWindows) {
            return java.util.List.of(gantry);
        }
        return java.util.List.of(gantry, Objects.requireNonNull(Views.class.getResource("opaque-popups.css"),
                "opaque-popups.css").toExternalForm());
    }

    /**
     * Shows {@code root} in a new secondary window of {@code owner} titled {@code title}, {@code width}
     * by {@code height} or the screen's usable size when that is smaller, with Gantry's stylesheet,
     * closed by Esc and Ctrl+W ({@link #closeWithKeys(javafx.stage.Stage)}).
     */
    public static javafx.stage.Stage showSecondary(javafx.stage.Window owner, String title, Parent root,
                                                   double width, double height) {
        javafx.stage.Stage stage = new javafx.stage.Stage();
        stage.initOwner(owner);
        stage.setTitle(title);
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        javafx.scene.Scene scene = new javafx.scene.Scene(root, Math.min(width, screen.getWidth()),
                Math.min(height, screen.getHeight()));
        scene.getStylesheets().addAll(stylesheets());
        stage.setScene(scene);
        closeWithKeys(stage);
        stage.show();
        return stage;
    }

    /**
     * Esc and Ctrl+W (Cmd+W) close a secondary window or dialog (Esc as its Cancel would), from
     * wherever its focus is, except that Esc while a drop-down is open closes the drop-down. The
     * window takes the keyboard focus when shown.
     */
    public static void closeWithKeys(javafx.stage.Stage stage) {
        javafx.scene.Scene scene = stage.getScene();
        scene.getAccelerators().put(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.W,
                javafx.scene.input.KeyCombination.SHORTCUT_DOWN), stage::hide);
        // a filter, not a handler: lists and trees consume Esc themselves (to cancel an edit), so a
        // handler never saw it in the family tree; a field with text did keep Esc, which no field here
        // uses, so Esc did nothing in the search window (its query field is focused and filled)
        scene.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == javafx.scene.input.KeyCode.ESCAPE
                    && !(scene.getFocusOwner() instanceof javafx.scene.control.ComboBoxBase<?> box && box.isShowing())) {
                event.consume();
                stage.hide();
            }
        });
        // the keys reach a window only when it has the focus; a window manager gives a new window
        // focus, Monocle (the headless GUI tests) does not, so ask for it
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_SHOWN, event -> stage.requestFocus());
    }

    /**
     * Esc and Ctrl+W (Cmd+W) close a confirmation as its Cancel would (a Dialog closes on Esc by
     * itself, never on Ctrl+W); Return is its default button's.
     */
    public static void closeWithKeys(javafx.scene.control.Dialog<javafx.scene.control.ButtonType> dialog) {
        javafx.scene.input.KeyCombination close = new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.W,
                javafx.scene.input.KeyCombination.SHORTCUT_DOWN);
        dialog.getDialogPane().addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, event -> {
            if (close.match(event) || event.getCode() == javafx.scene.input.KeyCode.ESCAPE) {
                event.consume();
                dialog.setResult(javafx.scene.control.ButtonType.CANCEL);
                dialog.close();
            }
        });
    }

    /**
     * Down in {@code control} (a table or list) with nothing selected selects its first row. JavaFX
     * focuses the first row by default and its Down moves on from there, so the keyboard's first Down
     * selected the second row.
     */
    public static void downSelectsFirstRow(javafx.scene.control.Control control) {
        control.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() != javafx.scene.input.KeyCode.DOWN || event.isShiftDown() || event.isShortcutDown()) {
                return;
            }
            if (control instanceof javafx.scene.control.TableView<?> table && table.getSelectionModel().isEmpty()
                    && !table.getItems().isEmpty()) {
                table.getSelectionModel().select(0);
                table.getFocusModel().focus(0);
                table.scrollTo(0);
                event.consume();
            } else if (control instanceof javafx.scene.control.ListView<?> list && list.getSelectionModel().isEmpty()
                    && !list.getItems().isEmpty()) {
                list.getSelectionModel().select(0);
                list.getFocusModel().focus(0);
                list.scrollTo(0);
                event.consume();
            }
        });
    }

    /**
     * A cell for long names (repositories, references): elided in the middle, so the end that tells two
     * names apart stays readable, with the whole text as tooltip.
     */
    public static <S> javafx.scene.control.TableCell<S, String> middleElided() {
        return new javafx.scene.control.TableCell<>() {
            private final javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();

            {
                setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
            }

            @Override
            protected void updateItem(String value, boolean empty) {
                super.updateItem(value, empty);
                boolean blank = empty || value == null || value.isEmpty();
                setText(blank ? null : value);
                tip.setText(blank ? "" : value);
                setTooltip(blank ? null : tip);
            }
        };
    }

    /** Puts {@code text} on the system clipboard. */
    public static void copy(String text) {
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
    }

    /** A small flat button that copies {@code text}; its tooltip says what. */
    public static Button copyButton(String what, String text) {
        Button button = new Button(null, new FontIcon(Feather.COPY));
        button.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL, "copy-button");
        button.setTooltip(new Tooltip("Copy " + what));
        button.setOnAction(event -> copy(text));
        return button;
    }

    /**
     * The placeholder of a table whose peer does not answer: "NAME is not answering", the reason in
     * words, and Retry ({@code retryId}), so a dead engine or cluster never looks like an empty one.
     */
    public static javafx.scene.layout.VBox notAnswering(String name, String reason, String boxId, String retryId,
                                                        Runnable retry) {
        javafx.scene.control.Label title = new javafx.scene.control.Label(name + " is not answering");
        title.getStyleClass().addAll("placeholder-title", "danger");
        javafx.scene.control.Label why = new javafx.scene.control.Label(reason);
        why.setWrapText(true);
        why.getStyleClass().add("placeholder");
        Button button = new Button("Retry");
        button.setId(retryId);
        button.setDefaultButton(false);
        button.setOnAction(event -> retry.run());
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(8, title, why, button);
        box.setId(boxId);
        box.setAlignment(javafx.geometry.Pos.CENTER);
        box.setMaxWidth(520);
        return box;
    }
}
