package io.gantry.ui.details;

import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.engine.ContainerRef;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageStore;
import io.gantry.service.LayerRows;
import io.gantry.ui.FxTasks;
import io.gantry.ui.Notice;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

/**
 * The details pane's state: the selected image in full (config, platform, digests, storage-driver
 * data), the containers that use it, its child images and its layers with the images sharing each.
 * {@link #show} loads everything in the background; a newer selection cancels an older load.
 */
public final class DetailsViewModel {

    /** What the pane loaded for one image. */
    public record Loaded(ImageStore store, ImageDetails details, List<ContainerRef> containers,
                         List<String> children, List<LayerRows.Row> layers) {
    }

    private final FxTasks tasks;
    private final ReadOnlyObjectWrapper<Loaded> loaded = new ReadOnlyObjectWrapper<>();
    private final ObservableList<ContainerRef> containers = FXCollections.observableArrayList();
    private final ObservableList<String> children = FXCollections.observableArrayList();
    private final ObservableList<LayerRows.Row> layers = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("Select an image to see its details.");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);
    private Task<?> current;

    public DetailsViewModel(FxTasks tasks) {
        this.tasks = tasks;
    }

    /** The image shown now; null while nothing is shown. */
    public ReadOnlyObjectProperty<Loaded> loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public ObservableList<ContainerRef> containers() {
        return containers;
    }

    public ObservableList<String> children() {
        return children;
    }

    public ObservableList<LayerRows.Row> layers() {
        return layers;
    }

    /** What the pane says when it shows no image (nothing selected, loading, or an error). */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** Loads {@code imageId} from {@code store}; an earlier load still running is cancelled. */
    public void show(ImageStore store, Digest imageId) {
        Loaded now = loaded.get();
        if (now != null && now.store() == store && now.details().id().equals(imageId) && current == null) {
            reload(store, imageId, false);
            return;
        }
        reload(store, imageId, true);
    }

    private void reload(ImageStore store, Digest imageId, boolean clearFirst) {
        if (current != null) {
            current.cancel();
        }
        if (clearFirst) {
            clearContent();
            message.set("Loading " + imageId.shortHex() + "…");
        }
        loading.set(true);
        Task<Loaded> task = tasks.run(() -> load(store, imageId), result -> {
            current = null;
            loading.set(false);
            containers.setAll(result.containers());
            children.setAll(result.children());
            layers.setAll(result.layers());
            loaded.set(result);
        }, error -> {
            current = null;
            loading.set(false);
            clearContent();
            message.set(Notice.describe(error));
        });
        current = task;
    }

    /** Shows nothing. */
    public void clear() {
        if (current != null) {
            current.cancel();
            current = null;
        }
        loading.set(false);
        clearContent();
        message.set("Select an image to see its details.");
    }

    private void clearContent() {
        loaded.set(null);
        containers.clear();
        children.clear();
        layers.clear();
    }

    private static Loaded load(ImageStore store, Digest imageId) {
        ImageKey id = ImageKey.of(imageId);
        ImageDetails details = store.inspect(id);
        List<ContainerRef> using = store.containersUsing(imageId);
        List<String> childNames = new ArrayList<>();
        for (Digest child : store.children(imageId)) {
            List<String> tags = store.inspect(ImageKey.of(child)).repoTags();
            childNames.add(tags.isEmpty() ? "<none> " + child.shortHex() : String.join(", ", tags));
        }
        return new Loaded(store, details, using, childNames, LayerRows.of(store, id));
    }
}
