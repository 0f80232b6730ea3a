package io.gantry.ui;

import io.gantry.engine.Endpoint;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One endpoint in the rail: what it is, whether it answers, and a one-line summary. */
public final class EndpointItem {

    /** Whether the endpoint answers. */
    public enum State { EMBEDDED, CONNECTING, CONNECTED, DISCONNECTED }

    private final Endpoint endpoint;
    private final ReadOnlyObjectWrapper<State> state;
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");

    EndpointItem(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.state = new ReadOnlyObjectWrapper<>(
                endpoint.kind() == Endpoint.Kind.EMBEDDED ? State.EMBEDDED : State.CONNECTING);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    void update(State newState, String newSummary) {
        if (endpoint.kind() != Endpoint.Kind.EMBEDDED) {
            state.set(newState);
        }
        summary.set(newSummary);
    }
}
