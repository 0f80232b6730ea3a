package io.gantry.ui.cluster;

import io.gantry.core.Cancellation;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.ClusterPod;
import io.gantry.engine.cluster.KubeContext;
import io.gantry.engine.cluster.PullFailures;
import io.gantry.service.PodRegistryCheck;
import io.gantry.ui.FxTasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Why a pod's images do not pull (issue 16), as {@code gantry kube why POD}: each failing image
 * (ErrImagePull, ImagePullBackOff, ErrImageNeverPull, InvalidImageName) with the cause read from
 * its waiting state and the pod's events and what to do ({@link PullFailures#explain}), and the
 * registry asked by Gantry's own client with the logins of the pod's pull secrets
 * ({@link PodRegistryCheck}, when the window has it). The logins are never shown: a verdict names
 * the secret and the user only.
 */
public final class WhyViewModel {

    /** One failing image, and what the registry said when Gantry asked it (empty: not asked). */
    public record Explained(PullFailures.PullFailure failure, Optional<PodRegistryCheck.Verdict> registry) {
    }

    private final ClusterAccess access;
    private final FxTasks tasks;
    private final KubeContext context;
    private final String namespace;
    private final String pod;
    private final ObservableList<Explained> failures = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper working = new ReadOnlyBooleanWrapper(false);

    public WhyViewModel(ClusterAccess access, FxTasks tasks, KubeContext context, String namespace, String pod) {
        this.access = access;
        this.tasks = tasks;
        this.context = context;
        this.namespace = namespace;
        this.pod = pod;
    }

    public KubeContext context() {
        return context;
    }

    /** {@code namespace/pod}. */
    public String podName() {
        return namespace + "/" + pod;
    }

    /** The failing images of the last reading, with the registry's verdicts. */
    public ObservableList<Explained> failures() {
        return failures;
    }

    /** What the last reading found, in a sentence (empty while reading or when it failed). */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Why the pod could not be read (no class names, with what to do); empty when it was. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty workingProperty() {
        return working.getReadOnlyProperty();
    }

    /** Reads the pod and its events again, explains its failing images and asks their registries. */
    public void explain() {
        working.set(true);
        error.set("");
        status.set("");
        tasks.run(() -> {
            try (Cluster cluster = access.clusters().connect(Optional.of(context.name()))) {
                ClusterPod found = cluster.pod(namespace, pod).orElseThrow(() -> new io.gantry.core.GantryException(
                        io.gantry.core.ErrorKind.NOT_FOUND, "explain pod", "no pod " + pod + " in namespace " + namespace
                        + " on " + context.name(), null, 0, "It may have been deleted or replaced; choose it again.", null));
                boolean failing = found.images().stream().anyMatch(i -> i.waitingReason()
                        .filter(PullFailures.PULL_REASONS::contains).isPresent());
                List<PullFailures.PullFailure> explained = failing
                        ? PullFailures.explain(found, cluster.podEvents(namespace, pod)) : List.of();
                Optional<PodRegistryCheck> check = access.registryCheck();
                List<Explained> rows = new ArrayList<>();
                for (PullFailures.PullFailure failure : explained) {
                    boolean askable = failure.cause() != PullFailures.Cause.NEVER_PULL
                            && failure.cause() != PullFailures.Cause.INVALID_NAME;
                    rows.add(new Explained(failure, askable ? check.map(c -> c.check(cluster, found,
                            failure.image().image(), Cancellation.none())) : Optional.empty()));
                }
                return rows;
            }
        }, rows -> {
            working.set(false);
            failures.setAll(rows);
            status.set(rows.isEmpty() ? "No image of pod " + podName() + " is failing to pull now."
                    : rows.size() == 1 ? "One image does not pull." : rows.size() + " images do not pull.");
        }, failure -> {
            working.set(false);
            failures.clear();
            error.set(WhereViewModel.describe(failure));
        });
    }
}
