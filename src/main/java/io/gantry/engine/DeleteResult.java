package io.gantry.engine;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a delete did: the lines {@code docker rmi} prints, or the conflict that refused it.
 *
 * @param image    the image as asked for (reference or ID)
 * @param force    whether it was forced
 * @param lines    {@code Untagged:} and {@code Deleted:} lines in the engine's order; empty when refused
 * @param conflict why it was refused, if it was
 */
public record DeleteResult(String image, boolean force, List<DeleteLine> lines, Optional<DeleteConflict> conflict) {

    public DeleteResult {
        Objects.requireNonNull(image, "image");
        lines = List.copyOf(lines);
        Objects.requireNonNull(conflict, "conflict");
    }

    public static DeleteResult done(String image, boolean force, List<DeleteLine> lines) {
        return new DeleteResult(image, force, lines, Optional.empty());
    }

    public static DeleteResult refused(String image, boolean force, DeleteConflict conflict) {
        return new DeleteResult(image, force, List.of(), Optional.of(conflict));
    }

    public boolean refused() {
        return conflict.isPresent();
    }

    /** Whether an image was deleted, not just untagged. */
    public boolean imageDeleted() {
        return lines.stream().anyMatch(line -> line.action() == DeleteLine.Action.DELETED);
    }

    /** The references untagged. */
    public List<String> untagged() {
        return lines.stream().filter(l -> l.action() == DeleteLine.Action.UNTAGGED).map(DeleteLine::value).toList();
    }
}
