package io.gantry.ui.cluster;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.engine.cluster.Clusters;
import io.gantry.engine.cluster.KubeContext;
import io.gantry.engine.cluster.NodeImageFs;
import io.gantry.ui.ErrorMessages;
import io.gantry.ui.FxTasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The clusters of the rail and the nodes of the chosen one. The contexts are read from the
 * kubeconfig in the background when the window starts; a context's API server is asked only once
 * the user chooses it (and again on Refresh): first its nodes, then each node's image filesystem
 * and image GC thresholds through the kubelet (at most {@value #GAUGED_NODES} nodes). Read-only:
 * nothing here changes a cluster. Every call runs through {@link FxTasks}; only the answer to the
 * latest read is shown.
 */
public final class ClustersViewModel {

    /** Nodes whose kubelets are asked for their image filesystem: two requests each, one after the other. */
    static final int GAUGED_NODES = 50;

    private final ClusterAccess access;
    private final FxTasks tasks;
    private final ObservableList<ClusterItem> contexts = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper contextsError = new ReadOnlyStringWrapper("");
    private final ObjectProperty<ClusterItem> selected = new SimpleObjectProperty<>();
    private final ObservableList<NodeRow> nodes = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper gaugeNote = new ReadOnlyStringWrapper("");
    /** How many reads were started; only the latest one's answers are shown. */
    private long reads;
    /** The cluster chosen last in the rail, for "Where is this image?". */
    private ClusterItem lastChosen;

    private final javafx.beans.binding.StringBinding status = javafx.beans.binding.Bindings.createStringBinding(
            this::statusLine, selected, loading, error, nodes);
    private final javafx.beans.binding.BooleanBinding busy = javafx.beans.binding.Bindings.createBooleanBinding(
            () -> selected.get() != null && (loading.get() || nodes.stream().anyMatch(NodeRow::reading)), selected, loading, nodes);

    public ClustersViewModel(ClusterAccess access, FxTasks tasks) {
        this.access = access;
        this.tasks = tasks;
        selected.addListener((obs, old, now) -> {
            nodes.clear(); // never one cluster's nodes under another's name
            error.set("");
            gaugeNote.set("");
            reads++;
            loading.set(now != null);
            if (now != null) {
                lastChosen = now;
                read(now);
            }
        });
    }

    /** Every context of the kubeconfig, the current one first; empty until read, or without a kubeconfig. */
    public ObservableList<ClusterItem> contexts() {
        return contexts;
    }

    /** Why the kubeconfig could not be read (readable, with what to do); empty when it was. */
    public ReadOnlyStringProperty contextsErrorProperty() {
        return contextsError.getReadOnlyProperty();
    }

    /** The context chosen in the rail; null while an endpoint is chosen instead. */
    public ObjectProperty<ClusterItem> selectedProperty() {
        return selected;
    }

    /** The nodes of the chosen cluster, as last read. */
    public ObservableList<NodeRow> nodes() {
        return nodes;
    }

    /** Whether the chosen cluster's nodes are being read and none are shown yet. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** Why the chosen cluster's nodes could not be read (no class names; with what to do); empty when they were. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** A word about the gauges when the kubelets could not be asked (RBAC), or only some were; empty otherwise. */
    public ReadOnlyStringProperty gaugeNoteProperty() {
        return gaugeNote.getReadOnlyProperty();
    }

    /**
     * The status bar's line while a cluster is shown: reading its nodes, how many there are, ready,
     * under disk pressure and with image GC due, or that it does not answer; empty with none chosen.
     */
    public javafx.beans.value.ObservableStringValue statusProperty() {
        return status;
    }

    /** Whether the shown cluster is being read (its nodes, or its kubelets' figures). */
    public javafx.beans.value.ObservableBooleanValue busyProperty() {
        return busy;
    }

    private String statusLine() {
        ClusterItem item = selected.get();
        if (item == null) {
            return "";
        }
        String name = io.gantry.ui.PeerCells.text(item.context().name());
        if (!error.get().isEmpty()) {
            return name + " is not answering: " + error.get();
        }
        if (loading.get()) {
            return "Reading the nodes of " + name + "…";
        }
        long ready = nodes.stream().filter(r -> r.node().ready()).count();
        long pressure = nodes.stream().filter(r -> r.node().diskPressure()).count();
        long gcDue = nodes.stream().filter(NodeRow::gcDue).count();
        return "Cluster " + name + ": " + io.gantry.ui.Counts.of(nodes.size(), "node") + ", " + ready + " ready"
                + (pressure == 0 ? "" : ", " + pressure + " under disk pressure")
                + (gcDue == 0 ? "" : ", image GC due on " + gcDue)
                + (nodes.stream().anyMatch(NodeRow::reading) ? " · reading the kubelets' image filesystems…" : "")
                + " · namespace " + io.gantry.ui.PeerCells.text(item.context().namespaceOrDefault());
    }

    /** The cluster to look in first: the one chosen last in the rail, else the current context; empty without contexts. */
    public java.util.Optional<ClusterItem> defaultContext() {
        return lastChosen != null && contexts.contains(lastChosen) ? java.util.Optional.of(lastChosen)
                : contexts.stream().findFirst();
    }

    /** Reads the kubeconfig's contexts in the background (files only: no cluster is asked). */
    public void loadContexts() {
        tasks.run(() -> clusters().contexts(), found -> {
            contextsError.set("");
            contexts.setAll(found.stream().map(ClusterItem::new).toList());
        }, failure -> contextsError.set(describe(failure)));
    }

    /** Reads the chosen cluster again (Refresh, Retry). */
    public void refresh() {
        ClusterItem item = selected.get();
        if (item == null) {
            return;
        }
        reads++;
        error.set("");
        loading.set(nodes.isEmpty());
        read(item);
    }

    private void read(ClusterItem item) {
        long read = reads;
        item.update(ClusterItem.State.CONNECTING, item.summaryProperty().get());
        KubeContext context = item.context();
        tasks.run(() -> {
            try (Cluster cluster = clusters().connect(Optional.of(context.name()))) {
                return access.preferCri(cluster.nodes());
            }
        }, found -> {
            item.update(ClusterItem.State.CONNECTED, io.gantry.ui.Counts.of(found.size(), "node"));
            if (read != reads) {
                return;
            }
            nodes.setAll(found.stream().map(NodeRow::reading).toList());
            loading.set(false);
            readGauges(item, read, found);
        }, failure -> {
            item.update(ClusterItem.State.DISCONNECTED, "");
            if (read != reads) {
                return;
            }
            nodes.clear();
            loading.set(false);
            error.set(describe(failure));
        });
    }

    /** Each node's image filesystem and GC thresholds, asked of its kubelet through the API server. */
    private void readGauges(ClusterItem item, long read, List<ClusterNode> found) {
        tasks.run(() -> gauges(item.context(), found), gauged -> {
            if (read != reads) {
                return;
            }
            nodes.setAll(gauged.rows());
            gaugeNote.set(gauged.note());
        }, failure -> {
            if (read != reads) {
                return;
            }
            String why = describe(failure);
            nodes.setAll(found.stream().map(node -> new NodeRow(node, Optional.empty(),
                    Cluster.ImageGcThresholds.DEFAULTS, false, false, why)).toList());
            gaugeNote.set("");
        });
    }

    private record Gauged(List<NodeRow> rows, String note) {
    }

    /** On a worker: asks each kubelet; a refusal by RBAC is cluster-wide, so the others are not asked after one. */
    private Gauged gauges(KubeContext context, List<ClusterNode> found) {
        List<NodeRow> rows = new ArrayList<>();
        String denied = "";
        try (Cluster cluster = clusters().connect(Optional.of(context.name()))) {
            for (int i = 0; i < found.size(); i++) {
                ClusterNode node = found.get(i);
                if (!denied.isEmpty() || i >= GAUGED_NODES) {
                    rows.add(new NodeRow(node, Optional.empty(), Cluster.ImageGcThresholds.DEFAULTS, false, false,
                            denied.isEmpty() ? "not read: only the first " + GAUGED_NODES + " nodes are asked" : denied));
                    continue;
                }
                Optional<NodeImageFs> fs = Optional.empty();
                Optional<Cluster.ImageGcThresholds> own = Optional.empty();
                String unknown = "the kubelet does not report it";
                try {
                    fs = cluster.imageFilesystem(node.name());
                    own = cluster.kubeletImageGc(node.name());
                } catch (GantryException e) {
                    if (e.kind() == ErrorKind.DENIED || e.kind() == ErrorKind.UNAUTHORIZED) {
                        denied = "not allowed to ask the kubelet (the nodes/proxy permission)";
                    }
                    unknown = denied.isEmpty() ? "the kubelet did not answer" : denied;
                }
                rows.add(new NodeRow(node, fs, own.orElse(Cluster.ImageGcThresholds.DEFAULTS), own.isPresent(), false,
                        fs.isPresent() ? "" : unknown));
            }
        }
        String note = !denied.isEmpty()
                ? "Image filesystem use comes from each kubelet through the API server, which needs the nodes/proxy "
                + "permission; without it the gauges stay empty and the thresholds are the kubelet's defaults."
                : found.size() > GAUGED_NODES ? "Image filesystem use is read for the first " + GAUGED_NODES + " nodes."
                : "";
        return new Gauged(rows, note);
    }

    /** The port, made on first use (on a worker). */
    private Clusters clusters() {
        return access.clusters();
    }

    static String describe(Throwable failure) {
        ErrorMessages.Message message = ErrorMessages.of(failure);
        return message.detail() + (message.action().isEmpty() ? "" : " — " + message.action());
    }
}
