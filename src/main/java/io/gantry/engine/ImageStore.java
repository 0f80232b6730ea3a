package io.gantry.engine;

import java.util.List;

/**
 * The port every endpoint implements, so the GUI and the CLI treat the embedded store and a
 * Docker-compatible engine alike. Every method may block on I/O and throws
 * {@link io.gantry.core.GantryException} on failure; callers run it off the UI thread.
 */
public interface ImageStore extends AutoCloseable {

    /** Which endpoint this is; available without I/O. */
    Endpoint endpoint();

    /** Asks the endpoint about itself; fails with {@code UNAVAILABLE} when it does not answer. */
    EngineInfo info();

    /** Every image, tagged and dangling, with shared and unique size. */
    List<ImageSummary> listImages();

    @Override
    void close();
}
