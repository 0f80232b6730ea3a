package io.gantry.registry;

/**
 * Hears how a blob transfer advances. Called on the transferring thread after each chunk (tens of
 * KiB), so it must be quick; a UI throttles and hops to its own thread.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. */
    ProgressListener NONE = (done, total) -> { };

    /**
     * @param bytesSoFar bytes transferred (and, for downloads, hashed) so far; may go back to 0
     *                   when a download has to restart from the beginning
     * @param totalBytes the blob's size
     */
    void progress(long bytesSoFar, long totalBytes);
}
