package io.gantry.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextInputControl;
import javafx.scene.text.Text;

/**
 * What a window shows cut: a text field's prompt text wider than the field's room (measured in the
 * field's own font against its width less its insets), or a label ended with an ellipsis. Read on
 * the FX thread, after the window is laid out.
 */
public final class PromptFit {

    private PromptFit() {
    }

    /** One line per prompt or label cut under {@code root}, each starting with {@code where}; empty when all read whole. */
    public static List<String> cut(Parent root, String where) {
        root.applyCss();
        root.layout();
        List<String> out = new ArrayList<>();
        for (Node node : root.lookupAll(".text-input")) {
            if (node instanceof TextInputControl field && field.isVisible() && field.getPromptText() != null
                    && !field.getPromptText().isEmpty() && !fits(field)) {
                out.add(where + ": \"" + field.getPromptText() + "\" in "
                        + (field.getId() == null ? field.getParent().getId() : field.getId())
                        + " (" + Math.round(promptWidth(field)) + " px of text, " + Math.round(room(field)) + " px of room)");
            }
        }
        for (Node node : root.lookupAll(".label")) {
            if (node instanceof Label label && label.isVisible() && label.getText() != null && !label.getText().isEmpty()
                    && label.lookup(".text") instanceof Text shown
                    && !shown.getText().replace("\n", " ").equals(label.getText().replace("\n", " "))) {
                out.add(where + ": label \"" + label.getText() + "\" shown as \"" + shown.getText() + "\"");
            }
        }
        return out;
    }

    /** How many fields under {@code root} have a prompt text. */
    public static long prompts(Parent root) {
        return root.lookupAll(".text-input").stream().filter(node -> node instanceof TextInputControl field
                && field.isVisible() && field.getPromptText() != null && !field.getPromptText().isEmpty()).count();
    }

    private static boolean fits(TextInputControl field) {
        if (field instanceof TextArea area && area.isWrapText()) {
            return true; // a wrapped prompt is shown whole on several lines
        }
        return promptWidth(field) <= room(field);
    }

    private static double promptWidth(TextInputControl field) {
        Text text = new Text(field.getPromptText());
        text.setFont(field.getFont());
        return text.getLayoutBounds().getWidth();
    }

    private static double room(TextInputControl field) {
        return field.getWidth() - field.snappedLeftInset() - field.snappedRightInset();
    }
}
