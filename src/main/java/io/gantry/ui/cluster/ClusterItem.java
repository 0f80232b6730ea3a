package io.gantry.ui.cluster;

import io.gantry.engine.cluster.KubeContext;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One context of the user's kubeconfig in the rail: the context, and what Gantry knows of its API
 * server. A context is asked nothing until it is chosen (a context's credential plugin may open a
 * browser to log in, and stale contexts would each wait for a connect timeout at start).
 */
public final class ClusterItem {

    /** What Gantry knows of the context's API server. */
    public enum State { NOT_READ, CONNECTING, CONNECTED, DISCONNECTED }

    private final KubeContext context;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.NOT_READ);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");

    ClusterItem(KubeContext context) {
        this.context = context;
    }

    public KubeContext context() {
        return context;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** "3 nodes" once its nodes were read; empty before and when it does not answer. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    void update(State newState, String newSummary) {
        state.set(newState);
        summary.set(newSummary);
    }
}
