package io.gantry.testing;

/**
 * Not an error of its own: the end of a peer's log, attached to a failed test's exception as a
 * suppressed exception so that it appears in the Surefire report right under the failure.
 */
public final class PeerLogTail extends Exception {

    PeerLogTail(String tails) {
        super("peer logs at the time of the failure:\n" + tails, null, false, false);
    }
}
