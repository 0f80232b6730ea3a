package io.gantry.ui.pull;

import io.gantry.core.Cancellation;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullProgress.Phase;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.service.PullBoard;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One pull in the pull panel: its layer rows, overall progress, status line and final digest.
 * Changed only on the FX thread, by {@link PullsViewModel}.
 */
public final class PullJob {

    /** Where a pull is. */
    public enum State { RUNNING, DONE, FAILED, CANCELLED }

    private final PullRequest request;
    private final String endpointId;
    private final String endpointName;
    private final Cancellation cancellation = new Cancellation();
    private final ObservableList<LayerRow> layers = FXCollections.observableArrayList();
    private final ObservableList<LayerRow> readOnlyLayers = FXCollections.unmodifiableObservableList(layers);
    private final Map<String, LayerRow> byId = new HashMap<>();
    private final PullBoard board = new PullBoard();
    /** A warning the pull ended with ({@link PullProgress#warning()}), kept past its end. */
    private String warning;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.RUNNING);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(-1);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Resolving…");
    private final ReadOnlyStringWrapper digest = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper();

    PullJob(PullRequest request, String endpointId, String endpointName) {
        this.request = request;
        this.endpointId = endpointId;
        this.endpointName = endpointName;
        title.set(request.reference().familiar() + request.platform().map(p -> " (" + p + ")").orElse("")
                + " → " + endpointName);
    }

    /** A copy's card: "app:1 Embedded store → docker" (the request names the image, for the card's title only). */
    static PullJob copy(PullRequest request, String fromName, String endpointId, String endpointName) {
        PullJob job = new PullJob(request, endpointId, endpointName);
        job.copy = true;
        job.title.set("Copy " + request.reference().familiar() + ": " + fromName + " → " + endpointName);
        job.status.set("Starting the copy…");
        return job;
    }

    /** A copy ended well: the image ID on both sides, the bytes streamed; a push: the image ID (the digest is shown apart). */
    void copied(io.gantry.service.ImageCopier.CopyResult result) {
        progress.set(1);
        if (!digest.get().isEmpty()) { // a push to a registry said its digest
            status.set("Pushed, image ID " + result.imageId().shortHex());
            state.set(State.DONE);
            return;
        }
        status.set("Copied, same image ID " + result.imageId().shortHex()
                + (result.streamed() > 0 ? " (" + megabytes(result.streamed()) + " streamed"
                + result.written().stream().mapToObj(w -> ", " + megabytes(w) + " new there").findFirst().orElse("")
                + ")" : ""));
        state.set(State.DONE);
    }

    /** Bytes streamed so far, while the total is not known. */
    void copying(long bytes) {
        if (state.get() == State.RUNNING) {
            status.set("Copying: " + megabytes(bytes) + " streamed");
        }
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    private boolean copy;

    /**
     * Whether this card is a copy between endpoints: the image streams as one archive, its layer
     * rows say {@code Waiting}, {@code Copying} and {@code Copied} as their tar entries pass.
     */
    public boolean isCopy() {
        return copy;
    }

    public PullRequest request() {
        return request;
    }

    /**
     * "demo/web:1.1 (linux/arm64) → Embedded store": the platform asked for while pulling, the
     * platform of the image actually pulled once it is known (a single-platform amd64 image pulls
     * as amd64 whatever was asked).
     */
    public String title() {
        return title.get();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** The pulled image's platform is {@code pulled} (empty: the endpoint names none). */
    void pulledPlatform(java.util.Optional<io.gantry.core.Platform> pulled) {
        title.set(request.reference().familiar() + pulled.map(p -> " (" + p + ")").orElse("") + " → " + endpointName);
    }

    /** The endpoint pulled into, for a retry. */
    String endpointName() {
        return endpointName;
    }

    public String endpointId() {
        return endpointId;
    }

    public ObservableList<LayerRow> layers() {
        return readOnlyLayers;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** 0 to 1 over all layers; -1 until the layers are known. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The manifest digest pulled, once the pull is done ("sha256:…"). */
    public ReadOnlyStringProperty digestProperty() {
        return digest.getReadOnlyProperty();
    }

    /** Stops the pull; it ends as {@link State#CANCELLED}. */
    public void cancel() {
        cancellation.cancel();
    }

    Cancellation cancellation() {
        return cancellation;
    }

    /** Takes a batch of the pull's progress in, through the board {@code gantry pull} draws too. */
    void apply(List<PullProgress> batch) {
        if (state.get() == State.FAILED || state.get() == State.CANCELLED) {
            return; // a batch that arrives after the end must not bring "Downloading" back
        }
        for (PullProgress event : batch) {
            board.apply(event);
            if (event.isLayerEvent()) {
                LayerRow row = byId.computeIfAbsent(event.layer(), id -> {
                    LayerRow created = new LayerRow(id);
                    layers.add(created);
                    return created;
                });
                board.row(event.layer()).ifPresent(row::show);
            } else if (event.phase() == Phase.DIGEST) {
                digest.set(event.text().replaceFirst("^Digest: ", ""));
            } else if (state.get() == State.RUNNING) {
                event.warning().ifPresent(said -> warning = said);
                status.set(event.text());
            }
        }
        if (!layers.isEmpty()) {
            progress.set(layers.stream().mapToDouble(LayerRow::done).sum() / layers.size());
            long complete = layers.stream().filter(l -> l.done() >= 1).count();
            if (state.get() == State.RUNNING && batch.stream().anyMatch(PullProgress::isLayerEvent)) {
                status.set(complete + " of " + layers.size() + " layers");
            }
        }
    }

    void finished(PullResult result) {
        result.digest().ifPresent(d -> digest.set(d.toString()));
        progress.set(1);
        status.set((result.upToDate() ? "Image is up to date for " + result.reference()
                : "Downloaded newer image for " + result.reference()) + (warning == null ? "" : ". Warning: " + warning));
        state.set(State.DONE);
    }

    /**
     * The pull ended without an image: the status says why, and no layer row keeps saying it is
     * downloading or waiting (they say "Cancelled" or "Stopped", the bytes they had got).
     */
    void failed(String message, boolean cancelled) {
        status.set(cancelled ? "Cancelled" : message);
        if (progress.get() < 0) {
            progress.set(0);
        }
        layers.forEach(row -> row.stopped(cancelled ? "Cancelled" : "Stopped"));
        state.set(cancelled ? State.CANCELLED : State.FAILED);
    }
}
