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
            message.set(list.size() + (list.size() == 1 ? " container" : " containers") + " · " + running + " running");
        }, error -> message.set(Notice.describe(error)));
    }
}
