package io.gantry.engine.rules;

import java.util.Objects;

/**
 * One line of an engine's delete response ({@code DELETE /images/{name}} and {@code POST
 * /images/prune}): {@code Untagged: app:1} or {@code Deleted: sha256:…} (an image ID, or the chain
 * ID of a layer that went with it). The plan predicts exactly these lines.
 */
public record DeleteRecord(Action action, String value) {

    public enum Action { UNTAGGED, DELETED }

    public DeleteRecord {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(value, "value");
    }

    static DeleteRecord untagged(String reference) {
        return new DeleteRecord(Action.UNTAGGED, reference);
    }

    static DeleteRecord deleted(String id) {
        return new DeleteRecord(Action.DELETED, id);
    }

    @Override
    public String toString() {
        return (action == Action.UNTAGGED ? "Untagged: " : "Deleted: ") + value;
    }
}
