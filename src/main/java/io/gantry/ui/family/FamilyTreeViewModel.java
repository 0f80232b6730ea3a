package io.gantry.ui.family;

import io.gantry.core.Digest;
import io.gantry.engine.ImageStore;
import io.gantry.service.ImageTable;
import io.gantry.service.LayerRows;
import io.gantry.service.analysis.FamilyTree;
import io.gantry.service.analysis.ImageLayers;
import io.gantry.ui.FxTasks;
import io.gantry.ui.Notice;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The family tree of all images of an endpoint, by shared layer chains (exact, from chain IDs), and
 * what to highlight for a selected image: its chain of layers and every image sharing part of it.
 */
public final class FamilyTreeViewModel {

    /** What the view paints: the chain to mark and the related images, empty when nothing is selected. */
    public record Highlight(Set<Digest> chainIds, Set<Digest> relatedImages, Optional<Digest> selected) {
        static final Highlight NONE = new Highlight(Set.of(), Set.of(), Optional.empty());
    }

    private final FxTasks tasks;
    private final ImageStore store;
    private final ReadOnlyObjectWrapper<FamilyTree> tree = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Highlight> highlight = new ReadOnlyObjectWrapper<>(Highlight.NONE);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("Reading the images' layers…");
    private final ReadOnlyStringWrapper lineage = new ReadOnlyStringWrapper("");

    public FamilyTreeViewModel(FxTasks tasks, ImageStore store) {
        this.tasks = tasks;
        this.store = store;
    }

    public ReadOnlyObjectProperty<FamilyTree> treeProperty() {
        return tree.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Highlight> highlightProperty() {
        return highlight.getReadOnlyProperty();
    }

    /** A summary line, or what went wrong. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** About the selected image: which images share how much of its chain. */
    public ReadOnlyStringProperty lineageProperty() {
        return lineage.getReadOnlyProperty();
    }

    public String endpointName() {
        return store.endpoint().name();
    }

    /** Reads every image's layers and builds the tree in the background. */
    public void load() {
        tasks.run(() -> FamilyTree.of(LayerRows.allImages(store)), result -> {
            highlight.set(Highlight.NONE);
            lineage.set("");
            tree.set(result);
            message.set(result.roots().size() + (result.roots().size() == 1 ? " base layer · " : " base layers · ")
                    + result.nodeCount() + " layer chains · " + ImageTable.humanSize(result.totalSize())
                    + " on disk, each chain counted once");
        }, error -> message.set(Notice.describe(error)));
    }

    /** Highlights the chain of {@code imageId} and the images that share it; null clears. */
    public void select(Digest imageId) {
        FamilyTree now = tree.get();
        if (now == null || imageId == null) {
            highlight.set(Highlight.NONE);
            lineage.set("");
            return;
        }
        Optional<FamilyTree.Lineage> found = now.lineage(imageId);
        if (found.isEmpty()) {
            highlight.set(Highlight.NONE);
            lineage.set("");
            return;
        }
        FamilyTree.Lineage l = found.get();
        Set<Digest> related = new HashSet<>();
        l.related().forEach(r -> related.add(r.image().imageId()));
        highlight.set(new Highlight(l.chainIds(), related, Optional.of(imageId)));
        lineage.set(l.related().isEmpty()
                ? l.image().displayName() + " shares no layer with another image."
                : l.image().displayName() + " shares layers with " + l.related().stream()
                        .map(r -> r.image().displayName() + " (" + r.commonLayers()
                                + (r.commonLayers() == 1 ? " layer, " : " layers, ")
                                + ImageTable.humanSize(r.commonSize()) + ")")
                        .collect(Collectors.joining(", ")));
    }

    /** The name to show for an image in the tree. */
    static String name(ImageLayers image) {
        return image.tags().isEmpty() ? "<none>:<none> " + image.imageId().shortHex() : String.join(", ", image.tags());
    }
}
