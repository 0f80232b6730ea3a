package io.gantry.ui.cluster;

import io.gantry.core.Cancellation;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.PeerText;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.engine.cluster.ImageWhereabouts;
import io.gantry.engine.cluster.KubeContext;
import io.gantry.engine.cluster.PrePullProgress;
import io.gantry.engine.cluster.PrePuller;
import io.gantry.service.ImageTable;
import io.gantry.service.NodeCris;
import io.gantry.service.PrePulls;
import io.gantry.ui.FxTasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
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
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * "Pre-pull to nodes…" (issue 16) for one image in one cluster, through {@link PrePulls}, the path
 * {@code gantry kube prepull} takes: the cluster's nodes to choose from (each with whether it holds the
 * image now and how it would pull: its own CRI where Gantry reaches it, else the DaemonSet); Preview
 * shows the DaemonSet's YAML for the nodes reached through the API and names the ones pulling through
 * their CRI; Apply does what was previewed (a choice changed asks for a new preview), then follows
 * each node until it holds the image (the CRI's pull as it goes, the pre-puller's pods and the nodes'
 * image lists every {@link #POLL}), a pull fails, {@link #FOLLOW_LIMIT} passes or Stop is pressed.
 * Every call runs on a worker; what it finds comes back through the FX executor.
 */
public final class PrePullViewModel {

    /** How often the pods and nodes are read while following. */
    static final Duration POLL = Duration.ofSeconds(2);
    /** How long Apply follows the nodes before it leaves the pre-puller to itself. */
    static final Duration FOLLOW_LIMIT = Duration.ofMinutes(10);
    /** How often a CRI pull's row says how far it got. */
    private static final Duration CRI_PROGRESS_EVERY = Duration.ofSeconds(1);

    /** Where a chosen node stands. */
    public enum State {
        /** Nothing asked yet. */
        IDLE(""),
        /** Its pull is under way (or waiting for its pod). */
        PULLING("pulling"),
        /** It holds the image. */
        HAS_IT("has the image"),
        /** Its pull fails. */
        FAILED("the pull fails"),
        /** Stopped before it was done. */
        STOPPED("stopped");

        private final String label;

        State(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One node of the cluster: whether it is chosen, how it pulls, whether it holds the image, and its progress. */
    public static final class NodeChoice {
        private final String name;
        private final Optional<String> cri;
        private final String holds;
        private final BooleanProperty chosen = new SimpleBooleanProperty(true);
        private final ReadOnlyStringWrapper via = new ReadOnlyStringWrapper("");
        private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.IDLE);
        private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper("");

        NodeChoice(String name, Optional<String> cri, String holds) {
            this.name = name;
            this.cri = cri;
            this.holds = holds;
        }

        public String name() {
            return name;
        }

        /** The name of the node's own CRI endpoint, where Gantry reaches it. */
        public Optional<String> cri() {
            return cri;
        }

        /** Whether the node holds the image as the dialog opened: yes, no, or not known (the kubelet's cap). */
        public String holds() {
            return holds;
        }

        public BooleanProperty chosenProperty() {
            return chosen;
        }

        /** How it pulls: through its own CRI, or the DaemonSet. */
        public ReadOnlyStringProperty viaProperty() {
            return via.getReadOnlyProperty();
        }

        public ReadOnlyObjectProperty<State> stateProperty() {
            return state.getReadOnlyProperty();
        }

        /** The words behind the state: how Gantry knows, the pod's or the runtime's reason. */
        public ReadOnlyStringProperty detailProperty() {
            return detail.getReadOnlyProperty();
        }

        void set(State now, String words) {
            state.set(now);
            detail.set(PeerText.clean(words));
        }
    }

    private final ClusterAccess access;
    private final FxTasks tasks;
    private final Executor fx;
    private final StringProperty image = new SimpleStringProperty("");
    private final ObjectProperty<KubeContext> context = new SimpleObjectProperty<>();
    private final StringProperty namespace = new SimpleStringProperty("");
    private final StringProperty pullSecrets = new SimpleStringProperty("");
    private final BooleanProperty throughCri = new SimpleBooleanProperty(true);
    private final ObservableList<NodeChoice> nodes = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper yaml = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper plan = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper previewed = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper working = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper following = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper loadingNodes = new ReadOnlyBooleanWrapper(false);
    private Cancellation running;
    private long asks;

    public PrePullViewModel(ClusterAccess access, FxTasks tasks, Executor fx) {
        this.access = access;
        this.tasks = tasks;
        this.fx = fx;
        // Apply does what was previewed: a change of any choice asks for a new preview
        image.addListener(obs -> choicesChanged());
        namespace.addListener(obs -> choicesChanged());
        pullSecrets.addListener(obs -> choicesChanged());
        throughCri.addListener(obs -> {
            nodes.forEach(this::describeVia);
            choicesChanged();
        });
        context.addListener((obs, old, now) -> {
            if (now != null && (old == null || namespace.get().isBlank()
                    || namespace.get().equals(old.namespaceOrDefault()))) {
                namespace.set(now.namespaceOrDefault());
            }
        });
    }

    private void choicesChanged() {
        if (!working.get()) {
            previewed.set(false);
            yaml.set("");
            plan.set("");
        }
    }

    /** The image to pre-pull, as pods name it. */
    public StringProperty imageProperty() {
        return image;
    }

    /** The cluster. */
    public ObjectProperty<KubeContext> contextProperty() {
        return context;
    }

    /** The namespace the DaemonSet goes into (the context's at first). */
    public StringProperty namespaceProperty() {
        return namespace;
    }

    /** Pull secrets of the namespace the pre-puller's pods use, comma-separated; blank: none. */
    public StringProperty pullSecretsProperty() {
        return pullSecrets;
    }

    /** Whether a node whose own CRI Gantry reaches pulls through it (else every node through the DaemonSet). */
    public BooleanProperty throughCriProperty() {
        return throughCri;
    }

    /** The cluster's nodes, filled by {@link #loadNodes()}. */
    public ObservableList<NodeChoice> nodes() {
        return nodes;
    }

    /** The DaemonSet of the last preview as YAML; empty when no node needs it or nothing was previewed. */
    public ReadOnlyStringProperty yamlProperty() {
        return yaml.getReadOnlyProperty();
    }

    /** The last preview in words: which nodes pull how. */
    public ReadOnlyStringProperty planProperty() {
        return plan.getReadOnlyProperty();
    }

    /** What was done, or how far Apply got. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Why the last step could not be done (no class names, with what to do); empty when it was. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Whether the current choices were previewed (Apply needs it). */
    public ReadOnlyBooleanProperty previewedProperty() {
        return previewed.getReadOnlyProperty();
    }

    /** A preview, an apply or a delete is running. */
    public ReadOnlyBooleanProperty workingProperty() {
        return working.getReadOnlyProperty();
    }

    /** Apply is pulling or following the nodes (Stop ends it). */
    public ReadOnlyBooleanProperty followingProperty() {
        return following.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingNodesProperty() {
        return loadingNodes.getReadOnlyProperty();
    }

    /** Opens on {@code name} in {@code in} and reads its nodes. */
    public void show(String name, KubeContext in) {
        image.set(name == null ? "" : name);
        context.set(in);
        loadNodes();
    }

    /** Reads the chosen cluster's nodes: whether each holds the image and whether Gantry reaches its CRI. */
    public void loadNodes() {
        KubeContext in = context.get();
        long ask = ++asks;
        error.set("");
        nodes.clear();
        choicesChanged();
        if (in == null) {
            error.set("No cluster chosen.");
            return;
        }
        Optional<ImageReference> reference = reference(false);
        loadingNodes.set(true);
        tasks.run(() -> {
            try (Cluster cluster = access.clusters().connect(Optional.of(in.name()));
                 NodeCris cris = access.openNodeCris()) {
                List<ClusterNode> listed = cluster.nodes();
                List<NodeChoice> rows = new ArrayList<>();
                Map<String, String> holds = new LinkedHashMap<>();
                reference.ifPresent(r -> ImageWhereabouts.find(r, cris.preferCri(listed), List.of()).nodes()
                        .forEach(h -> holds.put(h.node().name(), switch (h.presence()) {
                            case PRESENT -> "yes" + h.entry().map(e -> " (" + ImageTable.humanSize(e.sizeBytes()) + ")")
                                    .orElse("");
                            case ABSENT -> "no";
                            case NOT_LISTED, NO_NODE -> "not known";
                        })));
                for (ClusterNode node : listed) {
                    rows.add(new NodeChoice(node.name(), cris.find(node).map(NodeCris.NodeCri::name),
                            holds.getOrDefault(node.name(), "-")));
                }
                return rows;
            }
        }, rows -> {
            if (ask != asks) {
                return;
            }
            loadingNodes.set(false);
            rows.forEach(row -> {
                describeVia(row);
                row.chosenProperty().addListener(obs -> choicesChanged());
            });
            nodes.setAll(rows);
            if (rows.isEmpty()) {
                error.set("The cluster lists no node.");
            }
        }, failure -> {
            if (ask == asks) {
                loadingNodes.set(false);
                error.set(WhereViewModel.describe(failure));
            }
        });
    }

    private void describeVia(NodeChoice row) {
        row.via.set(throughCri.get() && row.cri().isPresent() ? "its own CRI (" + PeerText.clean(row.cri().get()) + ")"
                : "the DaemonSet");
    }

    /** Shows what Apply will do: the DaemonSet's YAML (when some node needs it) and the nodes pulling through their CRI. */
    public void preview() {
        Optional<Inputs> inputs = inputs();
        if (inputs.isEmpty()) {
            return;
        }
        long ask = ++asks;
        working.set(true);
        tasks.run(() -> {
            try (Cluster cluster = access.clusters().connect(Optional.of(inputs.get().context().name()));
                 NodeCris cris = access.openNodeCris()) {
                PrePulls.Plan made = PrePulls.plan(cluster, cris, inputs.get().prePuller(), inputs.get().throughCri(),
                        Optional.of(inputs.get().chosen()));
                return new Preview(made.yaml(), describe(made));
            }
        }, shown -> {
            if (ask != asks) {
                return;
            }
            working.set(false);
            yaml.set(shown.yaml());
            plan.set(shown.words());
            previewed.set(true);
            status.set("Nothing was changed: Apply does this.");
        }, failure -> {
            if (ask == asks) {
                working.set(false);
                error.set(WhereViewModel.describe(failure));
            }
        });
    }

    private record Preview(String yaml, String words) {
    }

    private static String describe(PrePulls.Plan plan) {
        List<String> lines = new ArrayList<>();
        if (!plan.direct().isEmpty()) {
            lines.add("Through their own CRI (as the kubelet pulls, with your login for the registry): "
                    + plan.direct().entrySet().stream().map(e -> PeerText.clean(e.getKey() + " (" + e.getValue().name()
                    + ")")).collect(Collectors.joining(", ")) + ".");
        }
        if (plan.daemonSetNeeded()) {
            List<String> others = plan.throughDaemonSet();
            lines.add("Through DaemonSet " + plan.daemonSet().namespace() + "/" + plan.daemonSet().name() + " on "
                    + PeerText.clean(plan.context()) + (others.isEmpty() ? " (no node matches yet)" : ": "
                    + PeerText.clean(String.join(", ", others))) + ". It stays until you delete it, so the kubelet's "
                    + "image GC keeps the image.");
        } else {
            lines.add("No DaemonSet: every chosen node pulls through its own CRI.");
        }
        return String.join("\n", lines);
    }

    /**
     * Does what was previewed: pulls through each CRI node's CRI, applies the DaemonSet when some node
     * needs it, then follows every chosen node until it holds the image, a pull fails, or Stop.
     */
    public void apply() {
        if (!previewed.get()) {
            fail("Preview first: Apply does what the preview shows.");
            return;
        }
        Optional<Inputs> inputs = inputs();
        if (inputs.isEmpty()) {
            return;
        }
        long ask = ++asks;
        Cancellation cancellation = new Cancellation();
        running = cancellation;
        working.set(true);
        following.set(true);
        Map<String, NodeChoice> rows = new LinkedHashMap<>();
        nodes.forEach(n -> {
            rows.put(n.name(), n);
            n.set(n.chosenProperty().get() ? State.PULLING : State.IDLE, n.chosenProperty().get() ? "starting" : "");
        });
        status.set("Pre-pulling " + PeerText.clean(inputs.get().prePuller().image()) + "…");
        tasks.run(() -> run(inputs.get(), rows, cancellation), outcome -> {
            if (ask == asks) {
                finish();
                if (outcome.failed()) {
                    status.set("");
                    error.set(outcome.words());
                    stopPulling(rows);
                } else {
                    status.set(outcome.words());
                }
            }
        }, failure -> {
            if (ask == asks) {
                finish();
                error.set(WhereViewModel.describe(failure));
                stopPulling(rows);
            }
        });
    }

    /** How an apply ended, in words; {@code failed} when a node's pull fails. */
    private record Outcome(String words, boolean failed) {
    }

    private static void stopPulling(Map<String, NodeChoice> rows) {
        rows.values().stream().filter(n -> n.stateProperty().get() == State.PULLING)
                .forEach(n -> n.set(State.STOPPED, n.detailProperty().get()));
    }

    private void finish() {
        working.set(false);
        following.set(false);
        running = null;
    }

    /** Stops following (and a CRI pull under way); a DaemonSet applied stays, Delete removes it. */
    public void stop() {
        Cancellation now = running;
        if (now != null) {
            now.cancel();
        }
    }

    /** Deletes this image's pre-puller (its pods go with it; the images stay on the nodes). */
    public void delete() {
        Optional<Inputs> inputs = inputs();
        if (inputs.isEmpty()) {
            return;
        }
        PrePuller prePuller = inputs.get().prePuller();
        String where = prePuller.namespace() + "/" + prePuller.name();
        long ask = ++asks;
        working.set(true);
        tasks.run(() -> {
            try (Cluster cluster = access.clusters().connect(Optional.of(inputs.get().context().name()))) {
                return cluster.deletePrePuller(prePuller.namespace(), prePuller.name());
            }
        }, deleted -> {
            if (ask == asks) {
                working.set(false);
                status.set(deleted ? "Deleted pre-puller " + where + ". The images stay on the nodes until the "
                        + "kubelet's image GC removes unused ones." : "There is no pre-puller " + where + ".");
            }
        }, failure -> {
            if (ask == asks) {
                working.set(false);
                error.set(WhereViewModel.describe(failure));
            }
        });
    }

    /** The apply, on a worker: rows change through the FX executor; returns the outcome in words. */
    private Outcome run(Inputs inputs, Map<String, NodeChoice> rows, Cancellation cancellation) {
        PrePuller prePuller = inputs.prePuller();
        String where = prePuller.namespace() + "/" + prePuller.name();
        try (Cluster cluster = access.clusters().connect(Optional.of(inputs.context().name()));
             NodeCris cris = access.openNodeCris()) {
            PrePulls.Plan made = PrePulls.plan(cluster, cris, prePuller, inputs.throughCri(), Optional.of(inputs.chosen()));
            Set<String> criFailed = new LinkedHashSet<>();
            for (Map.Entry<String, NodeCris.NodeCri> node : made.direct().entrySet()) {
                if (cancellation.isCancelled()) {
                    break;
                }
                NodeChoice row = rows.get(node.getKey());
                String via = "its CRI " + node.getValue().name();
                post(row, State.PULLING, "pulling through " + via);
                long[] said = {System.nanoTime()};
                try {
                    var result = PrePulls.pullThroughCri(node.getValue(), prePuller.image(), p -> {
                        if (System.nanoTime() - said[0] >= CRI_PROGRESS_EVERY.toNanos()) {
                            said[0] = System.nanoTime();
                            post(row, State.PULLING, "pulling through " + via + ", " + ImageTable.humanSize(p.bytesSeen())
                                    + " seen arriving");
                        }
                    }, cancellation);
                    post(row, State.HAS_IT, "pulled through " + via + " in " + String.format(Locale.ROOT, "%.1f s",
                            result.elapsed().toMillis() / 1000.0));
                } catch (GantryException e) {
                    if (e.kind() == ErrorKind.CANCELLED || cancellation.isCancelled()) {
                        post(row, State.STOPPED, "stopped while pulling through " + via);
                        break;
                    }
                    criFailed.add(node.getKey());
                    post(row, State.FAILED, WhereViewModel.describe(e));
                }
            }
            if (cancellation.isCancelled()) {
                return stopped(rows, "Stopped. Nothing more was asked of the cluster.");
            }
            boolean needed = made.daemonSetNeeded();
            String applied = "";
            if (needed) {
                Cluster.Applied done = PrePulls.applyDaemonSet(cluster, made);
                applied = (done == Cluster.Applied.CREATED ? "Created" : "Replaced") + " pre-puller " + where + ". ";
                String said = applied;
                fx.execute(() -> status.set(said + "Following the nodes…"));
            }
            long deadline = System.nanoTime() + FOLLOW_LIMIT.toNanos();
            while (true) {
                PrePullProgress progress = PrePulls.progress(cluster, cris, prePuller, Optional.of(made.nodeNames()),
                        needed).orElseThrow(() -> new GantryException(ErrorKind.NOT_FOUND, "pre-pull",
                        "pre-puller " + where + " is gone (deleted meanwhile)", null, 0,
                        "Preview and Apply again to pre-pull.", null));
                for (PrePullProgress.NodeProgress node : progress.nodes()) {
                    if (made.direct().containsKey(node.node())) {
                        continue; // the CRI pull's own words stand
                    }
                    post(rows.get(node.node()), switch (node.state()) {
                        case HAS_IT -> State.HAS_IT;
                        case PENDING -> State.PULLING;
                        case FAILED -> State.FAILED;
                    }, node.detail());
                }
                long failedDaemonSet = progress.failed().stream().filter(n -> !made.direct().containsKey(n.node())).count();
                String count = progress.holding() + " of "
                        + progress.nodes().size() + " node(s) have the image";
                if (criFailed.isEmpty() && progress.done()) {
                    return new Outcome(applied + "Done: " + count + "." + (needed ? " The pre-puller stays (so the "
                            + "image does); Delete removes it." : ""), false);
                }
                if (!criFailed.isEmpty() || failedDaemonSet > 0) {
                    List<String> failing = new ArrayList<>(criFailed);
                    progress.failed().forEach(n -> {
                        if (!failing.contains(n.node())) {
                            failing.add(n.node());
                        }
                    });
                    Optional<String> pod = progress.failed().stream().flatMap(n -> n.pod().stream()).findFirst();
                    return new Outcome(applied + "The pull fails on " + String.join(", ", failing) + "; " + count
                            + ". The node's row says why" + pod.map(p -> "; gantry kube why " + p + " -n "
                            + prePuller.namespace() + " explains a pod's failing pull.").orElse("."), true);
                }
                if (System.nanoTime() >= deadline) {
                    return stopped(rows, applied + "Stopped following after " + FOLLOW_LIMIT.toMinutes() + " min: "
                            + count + ". The pre-puller keeps going; Apply again to follow it.");
                }
                if (pause(cancellation)) {
                    return stopped(rows, applied + "Stopped following: " + count + "."
                            + (needed ? " The pre-puller keeps going; Delete removes it." : ""));
                }
            }
        }
    }

    /** Waits {@link #POLL}; true when cancelled meanwhile. */
    private static boolean pause(Cancellation cancellation) {
        CountDownLatch stop = new CountDownLatch(1);
        try (Cancellation.Registration hook = cancellation.onCancel(stop::countDown)) {
            return stop.await(POLL.toMillis(), TimeUnit.MILLISECONDS) || cancellation.isCancelled();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private Outcome stopped(Map<String, NodeChoice> rows, String words) {
        fx.execute(() -> stopPulling(rows));
        return new Outcome(words, false);
    }

    private void post(NodeChoice row, State state, String words) {
        if (row != null) {
            fx.execute(() -> row.set(state, words));
        }
    }

    /** What a preview or an apply is made of, read on the FX thread. */
    private record Inputs(KubeContext context, PrePuller prePuller, boolean throughCri, Set<String> chosen) {
    }

    /** The choices as inputs, or empty with the error said. */
    private Optional<Inputs> inputs() {
        error.set("");
        KubeContext in = context.get();
        if (in == null) {
            fail("No cluster chosen.");
            return Optional.empty();
        }
        if (reference(true).isEmpty()) {
            return Optional.empty();
        }
        Set<String> chosen = nodes.stream().filter(n -> n.chosenProperty().get()).map(NodeChoice::name)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        if (chosen.isEmpty()) {
            fail("Choose at least one node.");
            return Optional.empty();
        }
        String name = image.get().trim();
        String ns = Optional.ofNullable(namespace.get()).map(String::trim).filter(s -> !s.isEmpty())
                .orElse(in.namespaceOrDefault());
        List<String> secrets = java.util.Arrays.stream(Optional.ofNullable(pullSecrets.get()).orElse("").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        try {
            return Optional.of(new Inputs(in, new PrePuller(ns, PrePuller.defaultName(name), name, Map.of(), secrets),
                    throughCri.get(), chosen));
        } catch (GantryException e) {
            fail(WhereViewModel.describe(e));
            return Optional.empty();
        }
    }

    /** The image as a reference; empty (said as the error when {@code say}) when it is none. */
    private Optional<ImageReference> reference(boolean say) {
        try {
            return Optional.of(ImageReference.parse(image.get().trim()));
        } catch (GantryException e) {
            if (say) {
                fail(WhereViewModel.describe(e));
            }
            return Optional.empty();
        }
    }

    private void fail(String why) {
        asks++;
        working.set(false);
        status.set("");
        error.set(why);
    }
}
