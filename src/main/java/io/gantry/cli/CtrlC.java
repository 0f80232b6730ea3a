package io.gantry.cli;

import io.gantry.core.Cancellation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT; SIGTERM alike) during a command: the JVM runs its shutdown hooks and then exits
 * with 130. The hook this installs cancels the command's {@link Cancellation} (a pull, copy, push
 * or node pull stops within moments, leaving its endpoint as a cancel leaves it) and then waits,
 * at most {@link #GRACE}, until the command has ended <em>and reported</em> (its one line
 * {@code gantry: …: cancelled} on stderr), so the JVM does not go before that line is out. A
 * command that cannot be cancelled (a prune) gets the same time to finish; if it has not by then,
 * the hook says so itself. Never a stack trace.
 *
 * <p>One per command line ({@link GantryCli#run}); closing it (the command line ended) removes the hook.
 */
final class CtrlC implements AutoCloseable {

    /** How long the JVM waits for a cancelled command to end before it exits anyway. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private final Cancellation cancellation = new Cancellation();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final PrintWriter err;
    private final Thread hook;

    private CtrlC(PrintWriter err) {
        this.err = err;
        this.hook = new Thread(this::pressed, "gantry-ctrl-c");
    }

    /** Installs the hook for one command line; its messages go to {@code err}. */
    static CtrlC install(PrintWriter err) {
        CtrlC ctrlC = new CtrlC(err);
        Runtime.getRuntime().addShutdownHook(ctrlC.hook);
        return ctrlC;
    }

    /** Cancelled when Ctrl-C is pressed; long work of the command takes it. */
    Cancellation cancellation() {
        return cancellation;
    }

    private void pressed() {
        cancellation.cancel();
        try {
            if (!ended.await(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                err.println("gantry: cancelled (Ctrl-C); the command did not stop within " + GRACE.toSeconds()
                        + " s and was left unfinished");
                err.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command line has ended and reported: the JVM may go; the hook is removed unless it runs. */
    @Override
    public void close() {
        ended.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and has now seen the end
        }
    }
}
