package io.gantry.ui.delete;

import java.util.Objects;

/**
 * One line of a delete or prune preview or result.
 *
 * @param kind what happens to the thing named
 * @param text what the user reads ("app:1", "sha256:3f2a… (busybox:1)")
 * @param note why, or what it brings ("blocked: a running container uses it")
 */
public record PreviewLine(Kind kind, String text, String note) {

    /** What happens. */
    public enum Kind {
        /** A tag is removed; the image stays. */
        UNTAG("Untag"),
        /** An image is deleted. */
        DELETE_IMAGE("Delete image"),
        /** A layer goes with the images. */
        DELETE_LAYER("Delete layer"),
        /** Refused: the reason says why and whether Force helps. */
        BLOCKED("Blocked"),
        /** An executed step: the engine's Untagged:/Deleted: line. */
        RESULT("Done");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public PreviewLine {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(note, "note");
    }
}
