package io.gantry.engine;

/** A live event subscription; closing it stops the stream and its thread. Closing twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
