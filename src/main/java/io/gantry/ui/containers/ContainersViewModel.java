package io.gantry.ui.containers;

import io.gantry.core.Digest;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.ui.FxTasks;
import io.gantry.ui.Notice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Every container of an endpoint, running and stopped, with the image each was created from. */
public final class ContainersViewModel {

    /**
     * One row.
     *
     * @param container the container
     * @param imageName the image's first tag now, or what the container was created with when the
     *                  image has no tag (or is gone)
     */
    public record Row(ContainerRef container, String imageName) {
    }

    private final FxTasks tasks;
    private final ImageStore store;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("Loading containers…");
    private final ReadOnlyStringWrapper outcome = new ReadOnlyStringWrapper("");
    private final javafx.beans.property.ReadOnlyBooleanWrapper removing = new javafx.beans.property.ReadOnlyBooleanWrapper();

    public ContainersViewModel(FxTasks tasks, ImageStore store) {
        this.tasks = tasks;
        this.store = store;
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public String endpointName() {
        return store.endpoint().name();
    }

    /** Whether the endpoint can remove containers ({@code REMOVE_CONTAINERS}); the window offers Remove only then. */
    public boolean canRemove() {
        return store.capabilities().has(io.gantry.engine.Capabilities.Capability.REMOVE_CONTAINERS);
    }

    /** What the last removal came to: the containers removed and each refusal in the engine's words; empty before. */
    public ReadOnlyStringProperty outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    /** Whether a removal is running. */
    public javafx.beans.property.ReadOnlyBooleanProperty removingProperty() {
        return removing.getReadOnlyProperty();
    }

    /**
     * What the confirmation says: each container by name, and that a running one will not be
     * removed (the engine refuses it; Gantry never forces).
     */
    public static String confirmation(List<Row> chosen) {
        StringBuilder text = new StringBuilder();
        for (Row row : chosen) {
            text.append("• ").append(row.container().name()).append(" (").append(row.container().shortId()).append(", ")
                    .append(row.imageName()).append(row.container().running()
                            ? ") — running: it will not be removed; stop it first" : ")").append('\n');
        }
        return io.gantry.core.PeerText.clean(text.toString().strip());
    }

    /**
     * Removes {@code chosen} in the background, never forcing: the engine refuses a running
     * container, and its words are shown; then the list is read again.
     */
    public void remove(List<Row> chosen) {
        if (chosen.isEmpty() || removing.get()) {
            return;
        }
        removing.set(true);
        outcome.set("Removing " + chosen.size() + (chosen.size() == 1 ? " container…" : " containers…"));
        List<String> ids = chosen.stream().map(row -> row.container().id()).toList();
        tasks.run(() -> store.removeContainers(ids), results -> {
            removing.set(false);
            outcome.set(outcomeOf(results));
            load();
        }, error -> {
            removing.set(false);
            outcome.set("Nothing removed: " + Notice.describe(error));
        });
    }

    /** "Removed web-1, web-2. Not removed: db-1: You cannot remove a running container …". */
    static String outcomeOf(List<io.gantry.engine.ContainerRemoval> results) {
        List<String> removed = results.stream().filter(io.gantry.engine.ContainerRemoval::removed)
                .map(io.gantry.engine.ContainerRemoval::name).toList();
        StringBuilder text = new StringBuilder();
        if (!removed.isEmpty()) {
            text.append("Removed ").append(String.join(", ", removed)).append('.');
        }
        for (io.gantry.engine.ContainerRemoval refused : results) {
            refused.refusal().ifPresent(why -> text.append(text.length() == 0 ? "" : " ")
                    .append("Not removed: ").append(refused.name()).append(": ").append(why));
        }
        return io.gantry.core.PeerText.clean(text.toString());
    }

    /** Reads the containers and images in the background. */
    public void load() {
        tasks.run(() -> {
            List<ContainerRef> containers = store.containers();
            Map<Digest, String> names = new HashMap<>();
            for (ImageSummary image : store.listImages()) {
                names.put(image.id(), image.repoTags().isEmpty() ? "<none> " + image.id().shortHex() : image.repoTags().get(0));
            }
            return containers.stream().map(c -> new Row(c, names.getOrDefault(c.imageId(), c.image()))).toList();
        }, list -> {
            rows.setAll(list);
            long running = list.stream().filter(r -> r.container().running()).count();
            message.set(io.gantry.ui.Counts.of(list.size(), "container") + " · " + io.gantry.ui.Counts.number(running) + " running");
        }, error -> message.set(Notice.describe(error)));
    }
}
