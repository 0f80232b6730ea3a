package io.gantry.engine;

import java.util.Objects;

/**
 * One line of what a delete or prune did, as {@code docker rmi} prints it: {@code Untagged: busybox:1}
 * or {@code Deleted: sha256:…} (an image ID, or a layer that went with it: its chain ID in an
 * engine, its blob digest in the embedded store). The same record is what an endpoint answers and
 * what the rules model ({@code engine.rules}) predicts, so a preview and a result compare line by line.
 *
 * @param action untagged or deleted
 * @param value  the reference untagged, or the image ID or layer chain ID deleted
 */
public record DeleteLine(Action action, String value) {

    /** What happened to {@code value}. */
    public enum Action {
        UNTAGGED("Untagged"), DELETED("Deleted");

        private final String label;

        Action(String label) {
            this.label = label;
        }

        /** "Untagged" or "Deleted", as the CLI prints it. */
        public String label() {
            return label;
        }
    }

    public DeleteLine {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(value, "value");
    }

    public static DeleteLine untagged(String reference) {
        return new DeleteLine(Action.UNTAGGED, reference);
    }

    public static DeleteLine deleted(String id) {
        return new DeleteLine(Action.DELETED, id);
    }

    /** "Untagged: busybox:1", as the CLI prints it. */
    @Override
    public String toString() {
        return action.label() + ": " + value;
    }
}
