package io.gantry.ui.cluster;

import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.ImageWhereabouts;
import io.gantry.engine.cluster.KubeContext;
import io.gantry.ui.ErrorMessages;
import io.gantry.ui.FxTasks;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * "Where is this image?" (issue 16) for one image of any endpoint, in one cluster: the nodes that
 * hold it and the pods that use it, each with its effective pull policy and what the kubelet will
 * do on the pod's node — {@link ImageWhereabouts#find}, the rules {@code gantry kube where} prints.
 * Read-only; the cluster is read on a worker and only the latest read's answer is shown.
 */
public final class WhereViewModel {

    private final ClusterAccess access;
    private final FxTasks tasks;
    private final ReadOnlyStringWrapper image = new ReadOnlyStringWrapper("");
    private final ObjectProperty<KubeContext> context = new SimpleObjectProperty<>();
    private final StringProperty namespace = new SimpleStringProperty("");
    private final ReadOnlyObjectWrapper<ImageWhereabouts> found = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private long reads;

    public WhereViewModel(ClusterAccess access, FxTasks tasks) {
        this.access = access;
        this.tasks = tasks;
    }

    /** The image asked about, as the endpoint names it. */
    public ReadOnlyStringProperty imageProperty() {
        return image.getReadOnlyProperty();
    }

    /** The cluster to look in. */
    public ObjectProperty<KubeContext> contextProperty() {
        return context;
    }

    /** The namespace whose pods are looked at; empty: every namespace. */
    public StringProperty namespaceProperty() {
        return namespace;
    }

    /** What the last read found; null while reading or after a failure. */
    public ReadOnlyObjectProperty<ImageWhereabouts> foundProperty() {
        return found.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** Why the cluster could not be read (no class names, with what to do); empty when it was. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Asks about {@code name} in {@code in}. */
    public void show(String name, KubeContext in) {
        image.set(name);
        context.set(in);
        read();
    }

    /** Reads the chosen cluster (again). */
    public void read() {
        long read = ++reads;
        found.set(null);
        error.set("");
        KubeContext in = context.get();
        if (in == null) {
            error.set("No cluster chosen.");
            return;
        }
        ImageReference reference;
        try {
            reference = ImageReference.parse(image.get());
        } catch (GantryException e) {
            error.set(describe(e));
            return;
        }
        Optional<String> pods = Optional.ofNullable(namespace.get()).map(String::trim).filter(ns -> !ns.isEmpty());
        loading.set(true);
        tasks.run(() -> {
            try (Cluster cluster = access.clusters().connect(Optional.of(in.name()))) {
                return ImageWhereabouts.find(reference, access.preferCri(cluster.nodes()), cluster.pods(pods));
            }
        }, where -> {
            if (read == reads) {
                loading.set(false);
                found.set(where);
            }
        }, failure -> {
            if (read == reads) {
                loading.set(false);
                error.set(describe(failure));
            }
        });
    }

    static String describe(Throwable failure) {
        ErrorMessages.Message message = ErrorMessages.of(failure);
        return message.detail() + (message.action().isEmpty() ? "" : " — " + message.action());
    }

    /** "Why does it not pull?" for {@code pod} of this cluster. */
    WhyViewModel why(io.gantry.engine.cluster.ClusterPod pod) {
        return new WhyViewModel(access, tasks, context.get(), pod.namespace(), pod.name());
    }
}
