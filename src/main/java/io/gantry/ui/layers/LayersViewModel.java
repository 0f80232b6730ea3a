package io.gantry.ui.layers;

import io.gantry.core.Digest;
import io.gantry.core.ImageKey;
import io.gantry.engine.ImageStore;
import io.gantry.service.ImageTable;
import io.gantry.service.LayerFiles;
import io.gantry.service.LayerRows;
import io.gantry.service.analysis.FileNode;
import io.gantry.service.analysis.ImageFiles;
import io.gantry.service.analysis.ImageLayers;
import io.gantry.service.analysis.LayerReport;
import io.gantry.ui.FxTasks;
import io.gantry.ui.Notice;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

/**
 * The Layers tab's state: the selected image's layers (with the images sharing each, from the
 * details pane), their sizes shared versus unique, and on request the files of each layer: what it
 * adds, modifies and deletes, the wasted bytes and the efficiency. The file analysis runs in the
 * background with progress (layers done of all) and can be cancelled; a layer that cannot be read
 * shows its own error while the others still show.
 */
public final class LayersViewModel {

    private final FxTasks tasks;
    private final LayerFiles files;
    private final ObservableList<LayerRows.Row> rows;
    private final ReadOnlyObjectWrapper<ImageFiles> analysis = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<FileNode> tree = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyBooleanWrapper analysing = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper layerMessage = new ReadOnlyStringWrapper("");
    private ImageStore store;
    private Digest imageId;
    private Task<?> running;
    private int selectedLayer = -1;

    /**
     * @param tasks the window's task helper
     * @param files the file analysis (its cache is shared by every image)
     * @param rows  the layers of the selected image, kept current by the details pane
     */
    public LayersViewModel(FxTasks tasks, LayerFiles files, ObservableList<LayerRows.Row> rows) {
        this.tasks = tasks;
        this.files = files;
        this.rows = rows;
    }

    public ObservableList<LayerRows.Row> rows() {
        return rows;
    }

    /** The file analysis of the image shown; null until it has run. */
    public ReadOnlyObjectProperty<ImageFiles> analysisProperty() {
        return analysis.getReadOnlyProperty();
    }

    /** The merged file tree at the selected layer, its changes marked; null when there is none. */
    public ReadOnlyObjectProperty<FileNode> treeProperty() {
        return tree.getReadOnlyProperty();
    }

    /** 0..1 while analysing. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty analysingProperty() {
        return analysing.getReadOnlyProperty();
    }

    /** "Efficiency 97.2% · 1.2MB wasted in 4 files", or what went wrong. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** About the selected layer: its changes, or why it could not be read. */
    public ReadOnlyStringProperty layerMessageProperty() {
        return layerMessage.getReadOnlyProperty();
    }

    /** Bytes of shared layers (used by another image too) of the image shown. */
    public long sharedBytes() {
        return rows.stream().filter(r -> !r.sharedWith().isEmpty()).mapToLong(LayerRows.Row::size).sum();
    }

    /** Bytes of the layers only the image shown uses. */
    public long uniqueBytes() {
        return rows.stream().filter(r -> r.sharedWith().isEmpty()).mapToLong(LayerRows.Row::size).sum();
    }

    /** A new image is shown: forget the old analysis. */
    public void setImage(ImageStore newStore, Digest newImageId) {
        if (newStore == store && newImageId != null && newImageId.equals(imageId)) {
            return;
        }
        cancel();
        store = newStore;
        imageId = newImageId;
        analysis.set(null);
        tree.set(null);
        selectedLayer = -1;
        summary.set(newImageId == null ? "" : "Files not analysed yet.");
        layerMessage.set("");
    }

    /** Whether the image shown has been (or is being) analysed. */
    public boolean analysedOrRunning() {
        return analysis.get() != null || running != null;
    }

    /** Reads every layer's files in the background; progress counts layers. */
    public void analyze() {
        if (store == null || imageId == null || running != null) {
            return;
        }
        ImageStore on = store;
        Digest id = imageId;
        analysing.set(true);
        progress.set(0);
        summary.set("Reading layers…");
        AtomicInteger total = new AtomicInteger(1);
        running = tasks.run(() -> {
            ImageLayers layers = LayerFiles.layersOf(on, ImageKey.of(id));
            total.set(Math.max(1, layers.layers().size()));
            return files.analyze(on, layers, done -> Platform.runLater(
                    () -> progress.set((double) done / total.get())));
        }, result -> {
            running = null;
            if (on != store || !id.equals(imageId)) {
                analysing.set(false);
                return;
            }
            analysis.set(result);
            summary.set(describe(result));
            analysing.set(false);
            selectLayer(selectedLayer >= 0 ? selectedLayer : result.layers().size() - 1);
        }, error -> {
            running = null;
            summary.set("Could not analyse the files: " + Notice.describe(error));
            analysing.set(false);
        });
    }

    /** Stops a running analysis. */
    public void cancel() {
        if (running != null) {
            running.cancel();
            running = null;
            summary.set("Analysis cancelled.");
            analysing.set(false);
        }
    }

    /** Shows the file tree at layer {@code index} (base = 0). */
    public void selectLayer(int index) {
        selectedLayer = index;
        ImageFiles result = analysis.get();
        if (result == null || index < 0 || index >= result.layers().size()) {
            tree.set(null);
            layerMessage.set("");
            return;
        }
        LayerReport report = result.layers().get(index);
        String failure = report.failure().map(f -> "Layer " + index + " could not be read: " + f.message()).orElse(null);
        tasks.run(() -> result.treeAt(index), node -> {
            if (analysis.get() != result || selectedLayer != index) {
                return;
            }
            tree.set(node);
            layerMessage.set(failure != null ? failure : "Layer " + index + ": " + report.count(
                    io.gantry.service.analysis.ChangeKind.ADDED) + " added, "
                    + report.count(io.gantry.service.analysis.ChangeKind.MODIFIED) + " modified, "
                    + report.count(io.gantry.service.analysis.ChangeKind.DELETED) + " deleted"
                    + (report.lowerLayersIncomplete() ? " (a layer below could not be read)" : ""));
        }, error -> layerMessage.set(Notice.describe(error)));
    }

    static String describe(ImageFiles files) {
        double percent = files.efficiency() * 100;
        String efficiency = files.wastedBytes() > 0 && percent > 99.9 ? ">99.9" : String.format("%.1f", percent);
        String text = String.format("Efficiency %s%% · %s wasted in %d %s", efficiency,
                ImageTable.humanSize(files.wastedBytes()), files.wastedFiles().size(),
                files.wastedFiles().size() == 1 ? "file" : "files");
        int failed = files.failedLayers().size();
        return failed == 0 ? text : text + " · " + failed + (failed == 1 ? " layer" : " layers") + " could not be read";
    }
}
