package io.gantry.ui.pull;

import io.gantry.engine.PullProgress.Phase;
import io.gantry.service.ArchiveLayers;
import io.gantry.service.ImageTable;
import io.gantry.service.PullBoard;
import io.gantry.service.PushRows;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One layer of a pull, as its row shows it: short ID, status in Docker's words, bytes and a bar. */
public final class LayerRow {

    private final String id;
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Waiting");
    private final ReadOnlyStringWrapper bytes = new ReadOnlyStringWrapper("");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private Phase phase = Phase.WAITING;
    private long size;

    LayerRow(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /**
     * "Waiting", "Downloading", "Verifying", "Already exists", "Pull complete"; a copy's "Copying" and
     * "Copied"; a push's "Preparing", "Pushing", "Pushed", "Layer already exists", "Mounted from …".
     */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** "1.2 MB / 3.4 MB" while downloading, the size once known, else empty. */
    public ReadOnlyStringProperty bytesProperty() {
        return bytes.getReadOnlyProperty();
    }

    /** 0 to 1; -1 (indeterminate) while verifying. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public Phase phase() {
        return phase;
    }

    /** This layer's share of the whole pull, from 0 to 1. */
    double done() {
        return switch (phase) {
            case ALREADY_EXISTS, PULL_COMPLETE, DOWNLOAD_COMPLETE, EXTRACTING -> 1;
            case VERIFYING -> 0.99;
            case DOWNLOADING -> progress.get();
            default -> 0;
        };
    }

    /** Shows the layer as the pull's board has it now. */
    void show(PullBoard.Row event) {
        phase = event.phase();
        if (event.total() > 0 && event.phase() != Phase.EXTRACTING) {
            size = event.total();
        }
        switch (event.phase()) {
            case PULLING_FS_LAYER, WAITING -> {
                status.set(event.phase() == Phase.WAITING || PushRows.isPushWord(event.text()) ? event.text() : "Waiting");
                progress.set(0);
            }
            case DOWNLOADING -> {
                // a copy between endpoints streams its layers ("Copying"), a push sends them; a pull downloads them
                status.set(event.text().equals(ArchiveLayers.COPYING) || PushRows.isPushWord(event.text())
                        ? event.text() : "Downloading");
                if (event.total() > 0) {
                    progress.set(Math.min(1, (double) event.current() / event.total()));
                    bytes.set(ImageTable.humanSize(event.current()) + " / " + ImageTable.humanSize(event.total()));
                } else {
                    progress.set(-1);
                    bytes.set(ImageTable.humanSize(event.current()));
                }
            }
            case VERIFYING -> {
                status.set("Verifying");
                progress.set(-1);
            }
            case DOWNLOAD_COMPLETE -> {
                status.set("Download complete");
                progress.set(1);
                showSize();
            }
            case EXTRACTING -> {
                status.set("Extracting");
                progress.set(event.total() > 0 ? Math.min(1, (double) event.current() / event.total()) : -1);
            }
            case ALREADY_EXISTS -> {
                // a push says "Layer already exists" or "Mounted from REPO"
                status.set(PushRows.isPushWord(event.text()) ? event.text() : "Already exists");
                progress.set(1);
            }
            case PULL_COMPLETE -> {
                status.set(event.text().equals(ArchiveLayers.COPIED) || PushRows.isPushWord(event.text())
                        ? event.text() : "Pull complete");
                progress.set(1);
                showSize();
            }
            default -> status.set(event.text());
        }
    }

    /** The pull ended before this layer was done: it says {@code why}, its bar stops where it was. */
    void stopped(String why) {
        if (done() >= 1) {
            return;
        }
        status.set(why);
        if (progress.get() < 0) {
            progress.set(0);
        }
    }

    /** Once a layer is done, its size alone ("3MB"), not "3MB / 3MB". */
    private void showSize() {
        if (size > 0) {
            bytes.set(ImageTable.humanSize(size));
        }
    }
}
