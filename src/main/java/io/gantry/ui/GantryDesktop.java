package io.gantry.ui;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the JavaFX toolkit and the main window without an {@code Application} subclass, so the
 * composition root can hand the UI its services through a constructor instead of static state.
 *
 * <p>Start-up is overlapped: the caller passes the theme and the window's services as futures that
 * its worker threads are still completing (reading the settings, opening the embedded store's index,
 * finding engines). The toolkit starts on the calling thread meanwhile; the theme's stylesheet is
 * installed as soon as the theme is known, and the window is built once the services are there. The
 * FX thread never waits for them: the calling thread does.
 */
public final class GantryDesktop {

    private static final Logger LOG = LoggerFactory.getLogger(GantryDesktop.class);

    private GantryDesktop() {
    }

    /** The toolkit could not open a window: no display, or no GTK. */
    public static final class NoDisplayException extends RuntimeException {
        NoDisplayException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The services could not be made ready (e.g. the embedded store cannot be opened); the toolkit is stopped. */
    public static final class StartupException extends RuntimeException {
        StartupException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** {@link #launch(Future, Future, Runnable, boolean)} with everything ready. */
    public static Running launch(DesktopContext context, Runnable onExit) {
        Theme theme = Theme.fromSettings(context.settings().load().theme(), System.getenv());
        return launch(java.util.concurrent.CompletableFuture.completedFuture(theme),
                java.util.concurrent.CompletableFuture.completedFuture(context), onExit, false);
    }

    /**
     * Starts the toolkit and shows the main window; {@code onExit} runs once the window is closed.
     * Blocks the calling thread (never the FX thread) until the window is shown.
     *
     * @param closeWhenListed close the window once the first listing is in the table (or after a
     *                        minute): a training run, whose loaded classes the packaging records
     *                        in a class-data archive
     * @throws NoDisplayException when JavaFX cannot open a window here
     * @throws StartupException   when {@code context} fails; its cause says why
     */
    public static Running launch(Future<Theme> theme, Future<DesktopContext> context, Runnable onExit,
                                 boolean closeWhenListed) {
        long started = System.nanoTime();
        CountDownLatch exited = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch shown = new CountDownLatch(1);
        RenderingPipeline.chooseBeforeStartup();
        try {
            Platform.startup(() -> { });
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new NoDisplayException("JavaFX could not open a window: " + e.getMessage(), e);
        }
        long toolkit = System.nanoTime();
        DesktopContext ready;
        try {
            Theme chosen = theme.get();
            Platform.runLater(chosen::apply); // parses the theme's stylesheet while the services finish
            ready = context.get();
        } catch (ExecutionException e) {
            Platform.exit();
            throw new StartupException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Platform.exit();
            throw new StartupException(e);
        }
        long services = System.nanoTime();
        Platform.runLater(() -> {
            try {
                Stage stage = new Stage();
                // After the hide has finished: released at once, the main thread's System.exit
                // could tear the toolkit down while the FX thread was still detaching the scene
                // (now and then an IllegalStateException from glass on the way out).
                // The main thread is released only once the toolkit is down: released before, its
                // System.exit raced the toolkit's own exit, which then failed to remove its shutdown
                // hook ("Exception in runnable … Shutdown in progress" with a stack trace on stderr).
                stage.setOnHidden(event -> Platform.runLater(() -> {
                    try {
                        onExit.run();
                        Platform.exit();
                    } finally {
                        exited.countDown();
                    }
                }));
                MainWindow.Parts parts = MainWindow.open(stage, ready);
                if (closeWhenListed) {
                    parts.model().lastListingProperty().addListener((obs, old, listed) -> Platform.runLater(stage::close));
                    javafx.animation.PauseTransition limit = new javafx.animation.PauseTransition(javafx.util.Duration.minutes(1));
                    limit.setOnFinished(event -> stage.close());
                    limit.play();
                }
            } catch (RuntimeException e) {
                failure.set(e);
                Platform.exit();
                exited.countDown();
            } finally {
                shown.countDown();
            }
        });
        try {
            shown.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the main window could not be built", failure.get());
        }
        LOG.debug("start-up: toolkit started in {} ms, services ready {} ms later, window built {} ms later",
                (toolkit - started) / 1_000_000, (services - toolkit) / 1_000_000, (System.nanoTime() - services) / 1_000_000);
        return new Running(exited);
    }

    /** The running desktop UI. */
    public static final class Running {
        private final CountDownLatch exited;

        private Running(CountDownLatch exited) {
            this.exited = exited;
        }

        /** Blocks until the main window has been closed; returns the process exit code. */
        public int awaitExit() {
            try {
                exited.await();
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }
}
