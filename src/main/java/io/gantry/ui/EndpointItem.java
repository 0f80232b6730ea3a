package io.gantry.ui;

import io.gantry.engine.Capabilities;
import io.gantry.engine.Endpoint;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One endpoint in the rail: what it is, whether it answers, and a one-line summary. */
public final class EndpointItem {

    /** Whether the endpoint answers; {@code EMBEDDED} for one that is part of this process (not a daemon). */
    public enum State { EMBEDDED, CONNECTING, CONNECTED, DISCONNECTED }

    private final Endpoint endpoint;
    private final Capabilities capabilities;
    private final ReadOnlyObjectWrapper<State> state;
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");

    EndpointItem(Endpoint endpoint, Capabilities capabilities) {
        this.endpoint = endpoint;
        this.capabilities = capabilities;
        this.state = new ReadOnlyObjectWrapper<>(capabilities.daemon() ? State.CONNECTING : State.EMBEDDED);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** What the endpoint can do, for enabling actions. */
    public Capabilities capabilities() {
        return capabilities;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    void update(State newState, String newSummary) {
        if (capabilities.daemon()) {
            state.set(newState);
        }
        summary.set(newSummary);
    }
}
