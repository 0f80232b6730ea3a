package io.gantry.ui;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * Starts the JavaFX toolkit and the main window without an {@code Application} subclass, so the
 * composition root can hand the UI its services through a constructor instead of static state.
 */
public final class GantryDesktop {

    private GantryDesktop() {
    }

    /** The toolkit could not open a window: no display, or no GTK. */
    public static final class NoDisplayException extends RuntimeException {
        NoDisplayException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Starts the toolkit and shows the main window; {@code onExit} runs once the window is closed.
     *
     * @throws NoDisplayException when JavaFX cannot open a window here
     */
    public static Running launch(DesktopContext context, Runnable onExit) {
        CountDownLatch exited = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch shown = new CountDownLatch(1);
        try {
            Platform.startup(() -> {
                try {
                    Theme.fromSettings(context.settings().load().theme(), System.getenv()).apply();
                    Stage stage = new Stage();
                    stage.setOnHidden(event -> {
                        onExit.run();
                        exited.countDown();
                        Platform.exit();
                    });
                    MainWindow.show(stage, context);
                } catch (RuntimeException e) {
                    failure.set(e);
                    Platform.exit();
                    exited.countDown();
                } finally {
                    shown.countDown();
                }
            });
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new NoDisplayException("JavaFX could not open a window: " + e.getMessage(), e);
        }
        try {
            shown.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the main window could not be built", failure.get());
        }
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
