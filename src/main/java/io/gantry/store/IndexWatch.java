package io.gantry.store;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.IoProblem;
import io.gantry.engine.StoreEvent;
import io.gantry.engine.StoreEventListener;
import io.gantry.engine.Subscription;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows changes of {@code index.json} (this process's and other processes') with a file watch:
 * each change is an {@code IMAGE} event with action {@code "update"}.
 */
final class IndexWatch {

    private static final Logger log = LoggerFactory.getLogger(IndexWatch.class);

    private IndexWatch() {
    }

    /** Watches on a daemon thread until the subscription is closed. */
    static Subscription subscribe(LayoutPaths paths, Clock clock, StoreEventListener listener) {
        WatchService watch;
        try {
            watch = paths.root().getFileSystem().newWatchService();
            paths.root().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException e) {
            throw IoProblem.storage("watch " + paths.root(), e);
        }
        Thread thread = new Thread(() -> {
            listener.onConnected();
            try {
                while (true) {
                    WatchKey key = watch.take();
                    boolean changed = false;
                    for (WatchEvent<?> event : key.pollEvents()) {
                        changed |= event.kind() == StandardWatchEventKinds.OVERFLOW
                                || LayoutPaths.INDEX_FILE.equals(String.valueOf(event.context()));
                    }
                    key.reset();
                    if (changed) {
                        listener.onEvent(new StoreEvent(StoreEvent.Type.IMAGE, "update", LayoutPaths.INDEX_FILE, Map.of(),
                                clock.instant()));
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closed
            }
        }, "gantry-store-watch");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            try {
                watch.close();
            } catch (IOException e) {
                log.debug("cannot close the watch of {}: {}", paths.root(), e.toString());
            }
        };
    }
}
