package io.gantry.ui;

import io.gantry.engine.NodeImageCache;
import io.gantry.engine.NodeImageCache.NodeImage;
import io.gantry.service.ImageTable;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The rail's gauge of a Kubernetes node's image filesystem (a containerd's {@code k8s.io} through
 * the CRI): the share in use as a bar, the kubelet's image GC thresholds drawn on it (collection
 * starts above {@link NodeImageCache#HIGH_PERCENT}%, frees down to {@link NodeImageCache#LOW_PERCENT}%),
 * and the images its garbage collection would remove first. Without a capacity (the mount point is
 * not visible on this machine) only the bytes used are shown. {@link #setCompact Compact} (when the
 * rail is short of room): the title, the bar and the "used" line, the rule and the order in the
 * "used" line's tooltip.
 */
final class NodeGauge extends VBox {

    private static final int FIRST = 3;

    private final ThresholdGauge bar = new ThresholdGauge();
    private final Label used = new Label();
    private final Label rule = new Label();
    private final Label first = new Label();
    private final Tooltip usedTip = new Tooltip();
    private String order = "";
    private boolean compact;

    NodeGauge() {
        setSpacing(4);
        setId("node-gauge");
        getStyleClass().add("node-gauge");
        Label title = new Label("NODE IMAGE FILESYSTEM");
        title.getStyleClass().add("rail-title");
        for (Label label : List.of(used, rule, first)) {
            label.getStyleClass().add("endpoint-detail");
            label.setWrapText(true);
            label.setMaxWidth(Double.MAX_VALUE);
            label.setMinHeight(Region.USE_PREF_SIZE); // wrapped whole; the endpoint list above gives way
        }
        bar.setId("node-bar");
        used.setId("node-used");
        rule.setId("node-gc");
        first.setId("node-first");
        getChildren().addAll(title, bar, used, rule, first);
    }

    /** Shows {@code cache}. */
    void show(NodeImageCache cache) {
        bar.set(cache.usedPercent().orElse(0), cache.usedPercent().isPresent(), NodeImageCache.LOW_PERCENT,
                NodeImageCache.HIGH_PERCENT, cache.aboveHighThreshold());
        bar.setVisible(cache.usedPercent().isPresent());
        bar.setManaged(cache.usedPercent().isPresent());
        String capacity = cache.capacityBytes().isPresent()
                ? " of " + ImageTable.humanSize(cache.capacityBytes().getAsLong()) + " (" + cache.usedPercent().getAsLong()
                + "%)" : " (capacity not visible here)";
        used.setText(ImageTable.humanSize(cache.usedBytes()) + " used" + capacity + ", " + cache.images().size()
                + " image" + (cache.images().size() == 1 ? "" : "s"));
        rule.setText("Kubelet GC above " + NodeImageCache.HIGH_PERCENT + "%, down to " + NodeImageCache.LOW_PERCENT
                + "%: " + (cache.aboveHighThreshold() ? "due, frees " + ImageTable.humanSize(cache.bytesToFree())
                : "not due"));
        List<NodeImage> order = cache.collectionOrder();
        first.setText(order.isEmpty() ? "GC would remove nothing: every image is in use or pinned"
                : "GC removes first: " + String.join(", ", order.stream().limit(FIRST).map(NodeGauge::name).toList())
                + (order.size() > FIRST ? " (+" + (order.size() - FIRST) + ")" : ""));
        StringBuilder all = new StringBuilder("The order in which the kubelet's image garbage collection would remove "
                + "images (unused, unpinned; by when containerd first had each, as the kubelet's last-used time is "
                + "not available):");
        for (int i = 0; i < order.size(); i++) {
            all.append('\n').append(i + 1).append(". ").append(name(order.get(i))).append("  ")
                    .append(ImageTable.humanSize(order.get(i).size()));
        }
        Tooltip.install(first, new Tooltip(all.toString()));
        this.order = all.toString();
        showCompact();
        Tooltip.install(bar, new Tooltip("Image filesystem " + cache.mountpoint() + "; the lines mark "
                + NodeImageCache.LOW_PERCENT + "% and " + NodeImageCache.HIGH_PERCENT + "%"));
    }

    /** Shows only the title, the bar and the "used" line (the rest in that line's tooltip), or every line. */
    void setCompact(boolean compact) {
        this.compact = compact;
        showCompact();
    }

    boolean isCompact() {
        return compact;
    }

    /** How much taller the gauge is with every line than compact, at {@code width}. */
    double extraHeight(double width) {
        return rule.prefHeight(width) + first.prefHeight(width) + 2 * getSpacing();
    }

    private void showCompact() {
        for (Label label : List.of(rule, first)) {
            label.setVisible(!compact);
            label.setManaged(!compact);
        }
        usedTip.setText(compact ? rule.getText() + "\n" + first.getText() + "\n\n" + order : null);
        used.setTooltip(compact ? usedTip : null);
    }

    private static String name(NodeImage image) {
        String name = !image.repoTags().isEmpty() ? image.repoTags().get(0)
                : !image.repoDigests().isEmpty() ? image.repoDigests().get(0) : image.id();
        return PeerCells.clean(shortName(name));
    }

    /** The last path component and tag, so a name fits the rail ({@code 127.0.0.1:5000/team/app:1} → {@code app:1}). */
    private static String shortName(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }
}
