package io.gantry.store;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.IoProblem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's two locks, each an in-process lock plus a {@link FileChannel#lock file lock} so
 * that several threads and several Gantry processes agree:
 * <ul>
 *   <li>the <b>index lock</b> serializes read-modify-write cycles of {@code index.json};</li>
 *   <li>the <b>collection lock</b> is held shared by everything that reads or writes images (a
 *       pull holds it from its first blob to its index update, so a blob it wrote or found is
 *       never collected before it is referenced) and exclusively by garbage collection.</li>
 * </ul>
 * Order: collection lock before index lock. File locks are taken by polling {@code tryLock}, so
 * waiting is bounded and works between two store instances in one JVM as well.
 */
final class StoreLocks {

    private static final int MAX_SHARED = 1 << 20;

    private final LayoutPaths paths;
    private final Duration timeout;
    private final ReentrantLock indexMutex = new ReentrantLock();
    private final Semaphore collection = new Semaphore(MAX_SHARED, false);
    private final Object sharedMonitor = new Object();
    private int sharedHolders;
    private FileChannel sharedChannel;
    private FileLock sharedFileLock;

    /** False for a store Gantry may not write to: readers lock what they can, writers are refused. */
    private final boolean writable;

    StoreLocks(LayoutPaths paths, Duration timeout, boolean writable) {
        this.paths = paths;
        this.timeout = timeout;
        this.writable = writable;
    }

    StoreLocks(LayoutPaths paths, Duration timeout) {
        this(paths, timeout, true);
    }

    /** {@code STORAGE} for a change of a store Gantry may not write to. */
    void requireWritable(String operation) {
        if (!writable) {
            throw new GantryException(ErrorKind.STORAGE, operation, "the store at " + paths.root() + " is read-only",
                    "STORE_READ_ONLY", 0, "Reading commands work on it; to change it, make it writable or use another --store.",
                    null);
        }
    }

    /** A held lock; closing releases it. */
    @FunctionalInterface
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Holds the collection lock shared: images can be read and written, nothing is collected. */
    Held shared(String operation) {
        acquirePermits(1, operation, timeout);
        synchronized (sharedMonitor) {
            if (sharedHolders == 0) {
                try {
                    sharedChannel = writable ? open(paths.gcLock()) : openToRead(paths.gcLock());
                    sharedFileLock = sharedChannel == null ? null
                            : acquireFileLock(sharedChannel, true, operation, timeout);
                } catch (RuntimeException e) {
                    closeQuietly(sharedChannel);
                    sharedChannel = null;
                    collection.release(1);
                    throw e;
                }
            }
            sharedHolders++;
        }
        return () -> {
            synchronized (sharedMonitor) {
                if (--sharedHolders == 0) {
                    release(sharedFileLock, sharedChannel);
                    sharedFileLock = null;
                    sharedChannel = null;
                }
            }
            collection.release(1);
        };
    }

    /** Holds the collection lock exclusively: nobody reads or writes images meanwhile. */
    Held exclusive(String operation) {
        return exclusive(operation, timeout);
    }

    /** {@link #exclusive(String)}, waiting at most {@code wait}. */
    Held exclusive(String operation, Duration wait) {
        requireWritable(operation);
        acquirePermits(MAX_SHARED, operation, wait);
        FileChannel channel = null;
        try {
            channel = open(paths.gcLock());
            FileLock lock = acquireFileLock(channel, false, operation, wait);
            FileChannel held = channel;
            return () -> {
                release(lock, held);
                collection.release(MAX_SHARED);
            };
        } catch (RuntimeException e) {
            closeQuietly(channel);
            collection.release(MAX_SHARED);
            throw e;
        }
    }

    /** Holds the index lock, for one read-modify-write of {@code index.json}. */
    Held index(String operation) {
        requireWritable(operation);
        try {
            if (!indexMutex.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy(operation, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.CANCELLED, operation, "interrupted while waiting for the store lock", e);
        }
        FileChannel channel = null;
        try {
            channel = open(paths.indexLock());
            FileLock lock = acquireFileLock(channel, false, operation, timeout);
            FileChannel held = channel;
            return () -> {
                release(lock, held);
                indexMutex.unlock();
            };
        } catch (RuntimeException e) {
            closeQuietly(channel);
            indexMutex.unlock();
            throw e;
        }
    }

    private void acquirePermits(int permits, String operation, Duration wait) {
        try {
            if (!collection.tryAcquire(permits, wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy(operation, wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.CANCELLED, operation, "interrupted while waiting for the store lock", e);
        }
    }

    private FileLock acquireFileLock(FileChannel channel, boolean shared, String operation, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        long sleep = 1;
        while (true) {
            try {
                FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                // another store instance in this JVM holds it; wait like for another process
            } catch (IOException e) {
                throw new GantryException(ErrorKind.STORAGE, operation, "cannot lock the store: " + IoProblem.describe(e), e);
            }
            if (System.nanoTime() > deadline) {
                throw busy(operation, wait);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GantryException(ErrorKind.CANCELLED, operation, "interrupted while waiting for the store lock", e);
            }
            sleep = Math.min(50, sleep * 2);
        }
    }

    private static GantryException busy(String operation, Duration wait) {
        return new GantryException(ErrorKind.CONFLICT, operation,
                "the store is busy (another Gantry pull, import or clean-up held it for more than "
                        + wait.toMillis() + " ms)", "STORE_BUSY", 0, "Try again when the other operation has finished.", null);
    }

    private static FileChannel open(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.STORAGE, "lock " + file, "cannot open the lock file: " + IoProblem.describe(e), e);
        }
    }

    /**
     * A read-only store's lock file opened for reading, so a reader still waits for a writer that
     * can write there (another user's Gantry); null when there is none, or it cannot be opened.
     */
    private static FileChannel openToRead(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            return null;
        }
    }

    private static void release(FileLock lock, FileChannel channel) {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do; the lock dies with the channel
            }
        }
    }
}
