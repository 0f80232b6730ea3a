package io.gantry.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something changed on an endpoint: an image was pulled, tagged, untagged or deleted, a container
 * was created, started or removed. Listeners reload what the event touches.
 *
 * @param type       what kind of object changed
 * @param action     the engine's action name ("tag", "untag", "delete", "pull", "create", "start", "destroy")
 * @param id         the object's ID (an image ID or reference, a container ID)
 * @param attributes the engine's attributes ("name" of the new tag, "image" of a container, …)
 * @param time       when it happened
 */
public record StoreEvent(Type type, String action, String id, Map<String, String> attributes, Instant time) {

    /** The kinds of object an event is about. */
    public enum Type { IMAGE, CONTAINER, OTHER }

    public StoreEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(id, "id");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(time, "time");
    }

    /** The attribute {@code key}, or "" when absent. */
    public String attribute(String key) {
        return attributes.getOrDefault(key, "");
    }
}
