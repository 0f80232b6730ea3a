package io.gantry.engine.rules;

import io.gantry.engine.DeleteLine;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What deleting one target does: the engine's response lines, or the refusal it answers with.
 * A refused target changes nothing.
 *
 * @param target  the target
 * @param records the {@code Untagged:}/{@code Deleted:} lines, in the engine's order
 * @param refusal why it is refused; empty when it goes through
 */
public record TargetOutcome(DeleteTarget target, List<DeleteLine> records, Optional<DeleteRefusal> refusal) {

    public TargetOutcome {
        Objects.requireNonNull(target, "target");
        records = List.copyOf(records);
        Objects.requireNonNull(refusal, "refusal");
    }

    public boolean refused() {
        return refusal.isPresent();
    }
}
