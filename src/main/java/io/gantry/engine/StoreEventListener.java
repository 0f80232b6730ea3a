package io.gantry.engine;

import io.gantry.core.GantryException;

/**
 * Receives an endpoint's live events. Called on the subscription's own thread, never on the UI
 * thread; implementations hand over to their own executor.
 */
public interface StoreEventListener {

    /** Something changed on the endpoint. */
    void onEvent(StoreEvent event);

    /** The event stream is (again) connected; events missed while it was down have been replayed. */
    default void onConnected() {
    }

    /** The event stream broke; the subscription keeps retrying until it is closed. */
    default void onDisconnected(GantryException error) {
    }
}
