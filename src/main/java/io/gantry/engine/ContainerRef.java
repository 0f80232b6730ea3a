package io.gantry.engine;

import io.gantry.core.Digest;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A container and the image it was created from, as {@code docker ps -a} lists it.
 *
 * @param id      the full container ID
 * @param name    its name without the leading slash ("web-1")
 * @param imageId the ID of the image it runs (what delete conflicts are decided on)
 * @param image   the image as the container was created with it ("busybox:latest" or an ID)
 * @param state   its state
 * @param status  the engine's human status line ("Exited (0) 3 minutes ago"), for display only
 * @param created when it was created
 */
public record ContainerRef(String id, String name, Digest imageId, String image, State state, String status,
                           Instant created) {

    /** A container's lifecycle state, as the Engine API names it. */
    public enum State {
        CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD, UNKNOWN;

        /** Parses the Engine API's {@code State} string ("running", "exited", …). */
        public static State of(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                return UNKNOWN;
            }
        }
    }

    public ContainerRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(created, "created");
    }

    /**
     * Whether the engine counts it as running for delete conflicts: running, paused or restarting
     * (moby's {@code Container.IsRunning}).
     */
    public boolean running() {
        return state == State.RUNNING || state == State.PAUSED || state == State.RESTARTING;
    }

    /** The first 12 characters of the ID, as {@code docker ps} shows it. */
    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
