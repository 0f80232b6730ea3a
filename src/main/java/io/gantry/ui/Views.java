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

    /** Gantry's stylesheet ({@code gantry.css}), which every window's scene adds over the AtlantaFX theme. */
    public static String stylesheet() {
        return Objects.requireNonNull(Views.class.getResource("gantry.css"), "gantry.css").toExternalForm();
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
}
