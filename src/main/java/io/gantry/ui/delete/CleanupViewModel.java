package io.gantry.ui.delete;

import io.gantry.core.Digest;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.Capabilities;
import io.gantry.engine.DeleteLine;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PruneMode;
import io.gantry.engine.PruneResult;
import io.gantry.service.ImageCleanup;
import io.gantry.service.ImageTable;
import io.gantry.engine.rules.DeleteRefusal;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.engine.rules.ReclaimPlan;
import io.gantry.engine.rules.TargetOutcome;
import io.gantry.ui.FxTasks;
import io.gantry.ui.Notice;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The delete or prune dialog's state. First a preview (nothing happens yet): which tags are only
 * untagged, which images and layers go, the bytes freed (each layer once) and what is blocked and
 * why; Force is offered only when a soft conflict is in the way. {@link #run()} then does what the
 * preview listed and nothing else (see {@link ImageCleanup}); the result shows as the engine's
 * Untagged:/Deleted: lines.
 */
public final class CleanupViewModel {

    /** A delete preview and the containers, to name the ones in the way. */
    private record Loaded(ImageCleanup.DeletePreview preview, List<ContainerRef> containers,
                          List<io.gantry.engine.KeptImage> kept) {
    }

    /** Where the dialog is. */
    public enum Phase { LOADING, PREVIEW, RUNNING, DONE, FAILED }

    private final FxTasks tasks;
    private final ImageCleanup cleanup;
    private final ImageStore store;
    private final List<DeleteTarget> targets;
    private final Map<Digest, String> names;
    private final ObservableList<PreviewLine> lines = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Phase> phase = new ReadOnlyObjectWrapper<>(Phase.LOADING);
    private final ReadOnlyStringWrapper headline = new ReadOnlyStringWrapper("Working out what would happen…");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper forceAvailable = new ReadOnlyBooleanWrapper(false);
    private final BooleanProperty force = new SimpleBooleanProperty(false);
    private final ObjectProperty<PruneMode> pruneMode = new SimpleObjectProperty<>(PruneMode.DANGLING);
    private final ReadOnlyBooleanWrapper canRun = new ReadOnlyBooleanWrapper(false);
    private ImageCleanup.DeletePreview deletePreview;
    private List<ContainerRef> containers = List.of();
    private final javafx.beans.property.ReadOnlyObjectWrapper<List<ContainerRef>> stoppedInTheWay =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(List.of());
    private List<io.gantry.engine.KeptImage> kept = List.of();
    private PruneResult prunePreview;
    private Runnable onChanged = () -> { };

    private CleanupViewModel(FxTasks tasks, ImageCleanup cleanup, ImageStore store, List<DeleteTarget> targets,
                             Map<Digest, String> names) {
        this.tasks = tasks;
        this.cleanup = cleanup;
        this.store = store;
        this.targets = List.copyOf(targets);
        this.names = Map.copyOf(names);
        force.addListener((obs, old, now) -> showPreview());
        pruneMode.addListener((obs, old, now) -> preview());
    }

    /**
     * A delete of {@code targets} (in order) on {@code store}.
     *
     * @param names how to call each image in the preview (its first tag, or its short ID)
     */
    public static CleanupViewModel delete(FxTasks tasks, ImageCleanup cleanup, ImageStore store,
                                          List<DeleteTarget> targets, Map<Digest, String> names) {
        return new CleanupViewModel(tasks, cleanup, store, targets, names);
    }

    /** A prune of {@code store}, dangling images first; the mode can be changed while previewing. */
    public static CleanupViewModel prune(FxTasks tasks, ImageCleanup cleanup, ImageStore store,
                                         Map<Digest, String> names) {
        return new CleanupViewModel(tasks, cleanup, store, List.of(), names);
    }

    public boolean isPrune() {
        return targets.isEmpty();
    }

    public ObservableList<PreviewLine> lines() {
        return lines;
    }

    public ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase.getReadOnlyProperty();
    }

    /** One sentence: what the preview or the run amounts to. */
    public ReadOnlyStringProperty headlineProperty() {
        return headline.getReadOnlyProperty();
    }

    /** A warning or an error to show under the lines; empty when there is none. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Whether a soft conflict is in the way, so Force can be offered. */
    public ReadOnlyBooleanProperty forceAvailableProperty() {
        return forceAvailable.getReadOnlyProperty();
    }

    public BooleanProperty forceProperty() {
        return force;
    }

    public ObjectProperty<PruneMode> pruneModeProperty() {
        return pruneMode;
    }

    /** Whether the preview has something to do. */
    public ReadOnlyBooleanProperty canRunProperty() {
        return canRun.getReadOnlyProperty();
    }

    /** Runs after a delete or prune went through (the window refreshes its list). */
    public void setOnChanged(Runnable action) {
        onChanged = action;
    }

    /** Reads the endpoint and plans; nothing is deleted. */
    public void preview() {
        phase.set(Phase.LOADING);
        canRun.set(false);
        lines.clear();
        message.set("");
        headline.set("Working out what would happen…");
        if (isPrune()) {
            PruneMode mode = pruneMode.get();
            tasks.run(() -> cleanup.previewPrune(store, mode), result -> {
                if (mode != pruneMode.get()) {
                    return;
                }
                prunePreview = result;
                showPreview();
            }, this::failed);
        } else {
            tasks.run(() -> new Loaded(cleanup.previewDelete(store, targets), store.containers(), store.keptImages()),
                    result -> {
                deletePreview = result.preview();
                containers = result.containers();
                kept = result.kept();
                showPreview();
            }, this::failed);
        }
    }

    /** Does what the preview listed. */
    public void run() {
        if (!canRun.get()) {
            return;
        }
        phase.set(Phase.RUNNING);
        canRun.set(false);
        headline.set(isPrune() ? "Pruning…" : "Deleting…");
        if (isPrune()) {
            PruneResult shown = prunePreview;
            tasks.run(() -> cleanup.prune(store, shown), run -> {
                if (run.changed()) {
                    prunePreview = run.preview();
                    showPreview();
                    message.set("The endpoint changed since the preview, so nothing was pruned. "
                            + "Check the new preview and confirm again.");
                    return;
                }
                PruneResult result = run.result().orElseThrow();
                lines.setAll(result.lines().stream().map(CleanupViewModel::resultLine).toList());
                headline.set("Removed " + count(result.imagesDeleted().size(), "image") + " · total reclaimed space: "
                        + ImageTable.humanSize(result.spaceReclaimed()));
                phase.set(Phase.DONE);
                onChanged.run();
            }, this::failed);
        } else {
            ImageCleanup.DeletePreview shown = deletePreview;
            boolean forced = force.get() && forceAvailable.get();
            tasks.run(() -> cleanup.delete(store, shown, forced), run -> showDeleted(run, shown, forced, List.of()),
                    this::failed);
        }
    }

    /**
     * The stopped containers that alone block this delete (no other conflict is in the way), where
     * the endpoint can remove containers: "Remove the stopped containers and delete" is offered
     * for them. Empty otherwise.
     */
    public javafx.beans.property.ReadOnlyObjectProperty<List<ContainerRef>> stoppedInTheWayProperty() {
        return stoppedInTheWay.getReadOnlyProperty();
    }

    /**
     * Removes the stopped containers in the way (never forced), then deletes as the preview said,
     * planned again on what the endpoint holds then; the result lists the containers removed
     * (or refused, in the engine's words) and the delete's lines.
     */
    public void removeContainersAndDelete() {
        List<ContainerRef> chosen = stoppedInTheWay.get();
        if (chosen.isEmpty() || phase.get() != Phase.PREVIEW) {
            return;
        }
        phase.set(Phase.RUNNING);
        canRun.set(false);
        stoppedInTheWay.set(List.of());
        headline.set("Removing " + count(chosen.size(), "container") + ", then deleting…");
        List<String> ids = chosen.stream().map(ContainerRef::id).toList();
        tasks.run(() -> {
            List<io.gantry.engine.ContainerRemoval> removed = store.removeContainers(ids);
            ImageCleanup.DeletePreview fresh = cleanup.previewDelete(store, targets);
            return new RemovedThenDeleted(removed, fresh, cleanup.delete(store, fresh, false));
        }, done -> {
            List<PreviewLine> removedLines = done.removed().stream().map(r -> new PreviewLine(
                    r.removed() ? PreviewLine.Kind.RESULT : PreviewLine.Kind.BLOCKED, r.name(),
                    r.refusal().map(why -> "container not removed: " + why).orElse("container removed"))).toList();
            showDeleted(done.run(), done.preview(), false, removedLines);
        }, this::failed);
    }

    private record RemovedThenDeleted(List<io.gantry.engine.ContainerRemoval> removed, ImageCleanup.DeletePreview preview,
                                      ImageCleanup.DeleteRun run) {
    }

    /** A delete's result: {@code before} (containers removed first), the engine's lines, what was refused. */
    private void showDeleted(ImageCleanup.DeleteRun run, ImageCleanup.DeletePreview shown, boolean forced,
                             List<PreviewLine> before) {
        if (run.changed()) {
            deletePreview = run.preview();
            phase.set(Phase.PREVIEW);
            showPreview();
            lines.addAll(0, before);
            message.set("The endpoint changed since the preview, so nothing was deleted. "
                    + "Check the new preview and confirm again.");
            return;
        }
        List<PreviewLine> done = new ArrayList<>(before);
        done.addAll(run.lines().stream().map(CleanupViewModel::resultLine).toList());
        run.results().stream().filter(r -> r.refused()).forEach(r -> done.add(new PreviewLine(
                PreviewLine.Kind.BLOCKED, r.image(), r.conflict().orElseThrow().engineMessage())));
        lines.setAll(done);
        long images = run.lines().stream().filter(l -> l.action() == DeleteLine.Action.DELETED
                && Digest.isDigest(l.value()) && names.containsKey(Digest.of(l.value()))).count();
        long untagged = run.lines().stream().filter(l -> l.action() == DeleteLine.Action.UNTAGGED).count();
        headline.set("Untagged " + count(untagged, "reference") + ", deleted " + count(images, "image")
                + " · reclaimed " + ImageTable.humanSize(shown.plan(forced).bytesFreed()));
        if (!run.unexpected().isEmpty()) {
            message.set("The engine also reported lines the preview did not list (it changed meanwhile): "
                    + String.join(", ", run.unexpected()));
        }
        phase.set(Phase.DONE);
        onChanged.run();
    }

    private void failed(Throwable error) {
        phase.set(Phase.FAILED);
        canRun.set(false);
        headline.set(isPrune() ? "Could not prune" : "Could not delete");
        message.set(Notice.describe(error));
    }

    private void showPreview() {
        if (phase.get() == Phase.RUNNING || phase.get() == Phase.DONE) {
            return;
        }
        if (isPrune()) {
            if (prunePreview != null) {
                showPrune(prunePreview);
            }
        } else if (deletePreview != null) {
            showDelete(deletePreview);
        }
    }

    private void showDelete(ImageCleanup.DeletePreview preview) {
        forceAvailable.set(preview.forceHelps());
        boolean forced = force.get() && preview.forceHelps();
        ReclaimPlan plan = preview.plan(forced);
        List<PreviewLine> out = new ArrayList<>();
        for (String reference : plan.untaggedOnly()) {
            out.add(new PreviewLine(PreviewLine.Kind.UNTAG, reference, "only the name goes; the image stays"));
        }
        for (Digest image : plan.deletedImages()) {
            out.add(new PreviewLine(PreviewLine.Kind.DELETE_IMAGE, name(image), image.shortHex()));
        }
        for (ReclaimPlan.FreedLayer layer : plan.freedLayers()) {
            out.add(new PreviewLine(PreviewLine.Kind.DELETE_LAYER, layer.chainId().shortHex(),
                    ImageTable.humanSize(layer.size())));
        }
        for (int i = 0; i < plan.outcomes().size(); i++) {
            TargetOutcome outcome = plan.outcomes().get(i);
            TargetOutcome withForce = preview.forcedOutcome(i);
            outcome.refusal().ifPresent(refusal -> out.add(new PreviewLine(PreviewLine.Kind.BLOCKED,
                    outcome.target().toString().startsWith("sha256:")
                            ? name(Digest.of(outcome.target().toString())) : outcome.target().toString(),
                    reason(refusal, withForce))));
        }
        lines.setAll(out);
        int deleted = plan.deletedImages().size();
        int untagged = plan.untaggedOnly().size();
        List<String> parts = new ArrayList<>();
        if (deleted > 0) {
            parts.add("Deletes " + count(deleted, "image"));
        }
        if (untagged > 0) {
            parts.add((parts.isEmpty() ? "Untags " : "untags ") + count(untagged, "tag") + " only");
        }
        if (parts.isEmpty()) {
            parts.add("Nothing would be deleted");
        } else {
            parts.add("frees " + ImageTable.humanSize(plan.bytesFreed())
                    + (deleted > 0 && plan.freedLayers().isEmpty() ? " (its layers are still used by other images or containers)" : ""));
        }
        if (!plan.refusals().isEmpty()) {
            parts.add(io.gantry.ui.Counts.number(plan.refusals().size()) + " blocked");
        }
        headline.set(String.join(" · ", parts));
        stoppedInTheWay.set(forced ? List.of() : stoppedInTheWay(plan));
        canRun.set(plan.outcomes().stream().anyMatch(o -> !o.refused()));
        phase.set(Phase.PREVIEW);
    }

    /** The stopped containers using the refused images, when stopped containers are all that refuses. */
    private List<ContainerRef> stoppedInTheWay(ReclaimPlan plan) {
        if (!store.capabilities().has(io.gantry.engine.Capabilities.Capability.REMOVE_CONTAINERS)) {
            return List.of();
        }
        Set<Digest> blocked = new HashSet<>();
        for (TargetOutcome outcome : plan.outcomes()) {
            if (outcome.refusal().isPresent()) {
                DeleteRefusal refusal = outcome.refusal().get();
                if (refusal.reason() != DeleteRefusal.Reason.STOPPED_CONTAINER || refusal.imageId().isEmpty()) {
                    return List.of();
                }
                blocked.add(refusal.imageId().get());
            }
        }
        return containers.stream().filter(c -> !c.running() && blocked.contains(c.imageId())).toList();
    }

    private void showPrune(PruneResult preview) {
        Set<String> images = new HashSet<>();
        preview.imagesDeleted().forEach(id -> images.add(id.toString()));
        List<PreviewLine> out = new ArrayList<>();
        for (DeleteLine line : preview.lines()) {
            if (line.action() == DeleteLine.Action.UNTAGGED) {
                out.add(new PreviewLine(PreviewLine.Kind.UNTAG, line.value(), ""));
            } else if (images.contains(line.value())) {
                out.add(new PreviewLine(PreviewLine.Kind.DELETE_IMAGE, name(Digest.of(line.value())),
                        Digest.of(line.value()).shortHex()));
            } else {
                out.add(new PreviewLine(PreviewLine.Kind.DELETE_LAYER, shortened(line.value()), ""));
            }
        }
        lines.setAll(out);
        forceAvailable.set(false);
        headline.set(preview.imagesDeleted().isEmpty() ? "Nothing to prune: no "
                + (preview.mode() == PruneMode.DANGLING ? "dangling" : "unused") + " images."
                : "Removes " + count(preview.imagesDeleted().size(), "image") + " · frees "
                + ImageTable.humanSize(preview.spaceReclaimed()));
        canRun.set(!preview.lines().isEmpty());
        phase.set(Phase.PREVIEW);
    }

    /** Why a target is blocked, and what force would do to it ({@code withForce}: its forced outcome). */
    private String reason(DeleteRefusal refusal, TargetOutcome withForce) {
        var keptOne = kept.stream().filter(k -> refusal.imageId().map(k.id()::equals).orElse(false)).findFirst();
        if (keptOne.isPresent()) { // a node's sandbox or pinned image: held by the node, not by a container
            return keptOne.get().reason() + " — cannot be forced";
        }
        String why = switch (refusal.reason()) {
            case DEPENDENT_CHILD -> "other images are built on it";
            case RUNNING_CONTAINER -> "a running container uses it" + containersOf(refusal);
            case STOPPED_CONTAINER -> "a stopped container uses it" + containersOf(refusal);
            case MULTIPLE_REFERENCES -> "it has several names; deleting by ID removes them all";
            case REFERENCE_IN_USE -> "a container uses it and this is its last name" + containersOf(refusal);
            case NOT_FOUND -> "no such image any more";
        };
        String action = withForce.refusal().isPresent()
                ? (refusal.reason().hard() || withForce.refusal().get().reason().hard()
                        ? "cannot be forced: " + forcedRefusal(withForce.refusal().get()) : "")
                : forceAction(refusal, withForce);
        return why + (action.isEmpty() ? "" : " — " + action);
    }

    /** Podman: its forced delete also removes the (stopped) containers using the image. */
    private boolean podman() {
        return store.capabilities().has(Capabilities.Capability.FORCE_REMOVES_CONTAINERS);
    }

    private String forcedRefusal(DeleteRefusal refusal) {
        return switch (refusal.reason()) {
            case RUNNING_CONTAINER -> podman()
                    ? "on Podman, Force would also stop and remove the running container; stop it first"
                    : "stop and remove the running container first";
            case DEPENDENT_CHILD -> "delete the images built on it first";
            default -> "remove the containers or child images first";
        };
    }

    private String forceAction(DeleteRefusal refusal, TargetOutcome withForce) {
        boolean deletes = withForce.records().stream().anyMatch(l -> l.action() == DeleteLine.Action.DELETED);
        if (!deletes) {
            return "Force removes only the name; the image stays";
        }
        if (!podman() || refusal.imageId().isEmpty()) {
            return "Force deletes it anyway";
        }
        String removed = containers.stream().filter(c -> c.imageId().equals(refusal.imageId().get()))
                .map(ContainerRef::name).collect(Collectors.joining(", "));
        return removed.isEmpty() ? "Force deletes it anyway"
                : "on Podman, Force deletes it and also removes the containers using it: " + removed;
    }

    private String containersOf(DeleteRefusal refusal) {
        if (refusal.imageId().isEmpty()) {
            return "";
        }
        String list = containers.stream().filter(c -> c.imageId().equals(refusal.imageId().get()))
                .map(c -> c.name() + " (" + c.state().name().toLowerCase() + ")").collect(Collectors.joining(", "));
        return list.isEmpty() ? "" : ": " + list;
    }

    private String name(Digest image) {
        return names.getOrDefault(image, "<none> " + image.shortHex());
    }

    private static PreviewLine resultLine(DeleteLine line) {
        return new PreviewLine(PreviewLine.Kind.RESULT, line.toString(), "");
    }

    private static String shortened(String value) {
        return Digest.isDigest(value) ? Digest.of(value).shortHex() : value;
    }

    private static String count(long n, String noun) {
        return io.gantry.ui.Counts.of(n, noun);
    }
}
