package io.gantry.ui.manifest;

import io.gantry.core.Cancellation;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.engine.ImageStore;
import io.gantry.engine.PushProgress;
import io.gantry.engine.PushResult;
import io.gantry.service.ManifestDrafts;
import io.gantry.ui.ErrorMessages;
import io.gantry.ui.FxTasks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * "Combine into a multi-arch image": per-platform images (local images of the chosen endpoint,
 * pushed with the list, or registry references, read and mounted or copied) gathered into a
 * Docker manifest list or an OCI index under a name, each platform editable, the list's JSON
 * previewed, then pushed with progress and cancel. The same drafts and push as {@code gantry
 * manifest create/annotate/push} ({@link ManifestDrafts}); the draft is kept under the list's name,
 * so {@code gantry manifest inspect NAME} shows it. Registry and store work runs through
 * {@link FxTasks}.
 */
public final class CombineViewModel {

    private final ManifestDrafts drafts;
    private final FxTasks tasks;
    private final Executor fx;
    private final Supplier<ImageStore> local;

    private final StringProperty name = new SimpleStringProperty("");
    private final ObjectProperty<ManifestDrafts.Format> format = new SimpleObjectProperty<>(ManifestDrafts.Format.DOCKER);
    private final StringProperty image = new SimpleStringProperty("");
    private final ObservableList<ManifestDrafts.Entry> entries = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper preview = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper pushing = new ReadOnlyBooleanWrapper(false);
    private final ObservableList<String> progress = FXCollections.observableArrayList();
    private final BooleanBinding canPush = Bindings.createBooleanBinding(
            () -> !busy.get() && !entries.isEmpty() && !name.get().isBlank(), busy, entries, name);
    private Cancellation cancellation = new Cancellation();

    /**
     * @param drafts where lists are drafted and pushed from
     * @param fx     runs on the FX thread (progress from the push's workers)
     * @param local  the endpoint whose images are local entries (the one selected in the rail)
     */
    public CombineViewModel(ManifestDrafts drafts, FxTasks tasks, Executor fx, Supplier<ImageStore> local) {
        this.drafts = drafts;
        this.tasks = tasks;
        this.fx = fx;
        this.local = local;
        entries.addListener((javafx.collections.ListChangeListener<ManifestDrafts.Entry>) change -> renderPreview());
        format.addListener((obs, old, now) -> renderPreview());
        renderPreview();
    }

    /** The list's name, a reference with a tag ({@code registry:5000/team/app:1}). */
    public StringProperty nameProperty() {
        return name;
    }

    public ObjectProperty<ManifestDrafts.Format> formatProperty() {
        return format;
    }

    /** The image to add: a local name or a registry reference. */
    public StringProperty imageProperty() {
        return image;
    }

    /** The list's images, in the list's order. */
    public ObservableList<ManifestDrafts.Entry> entries() {
        return entries;
    }

    /** The list's JSON as it would be pushed. */
    public ReadOnlyStringProperty previewProperty() {
        return preview.getReadOnlyProperty();
    }

    /** What the window says: adding, pushed (with the digest), or what went wrong and what to do. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty pushingProperty() {
        return pushing.getReadOnlyProperty();
    }

    /** The push's lines, one per layer as {@code docker push} keeps them, then the list's digest. */
    public ObservableList<String> progress() {
        return progress;
    }

    public BooleanBinding canPushBinding() {
        return canPush;
    }

    /** Adds the images named in {@link #imageProperty()} (several, separated by spaces). */
    public void add() {
        List<String> names = List.of(image.get().trim().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) {
            message.set("Type an image to add: a local name (app:1) or a registry reference (host:5000/app-arm64:1).");
            return;
        }
        add(names);
    }

    /** Adds {@code names} (the images chosen in the main window, or typed). */
    public void add(List<String> names) {
        if (busy.get()) {
            return;
        }
        ImageStore store = local.get();
        busy.set(true);
        message.set("Reading " + String.join(", ", names) + "…");
        Cancellation mine = newCancellation();
        tasks.run(() -> {
            List<ManifestDrafts.Entry> found = new ArrayList<>();
            for (String n : names) {
                found.add(drafts.entry(n, store, mine));
            }
            return found;
        }, (List<ManifestDrafts.Entry> found) -> {
            busy.set(false);
            for (ManifestDrafts.Entry e : found) {
                entries.removeIf(old -> old.digest().equals(e.digest()));
                entries.add(e);
            }
            image.set("");
            message.set(found.size() == 1 ? "Added " + found.get(0).source() + " (" + found.get(0).platform() + ")."
                    : "Added " + found.size() + " images.");
        }, error -> {
            busy.set(false);
            message.set(text(error));
        });
    }

    /** Takes {@code entry} out of the list. */
    public void remove(ManifestDrafts.Entry entry) {
        entries.remove(entry);
    }

    /**
     * Sets the platform the list names for {@code entry} (as {@code manifest annotate}); a blank
     * variant removes it. A blank OS or architecture is refused with what to write.
     */
    public boolean annotate(ManifestDrafts.Entry entry, String os, String arch, String variant) {
        int at = entries.indexOf(entry);
        if (at < 0) {
            return false;
        }
        if (os == null || os.isBlank() || arch == null || arch.isBlank()) {
            message.set("A platform needs an OS and an architecture (linux, amd64).");
            return false;
        }
        Optional<String> v = variant == null || variant.isBlank() ? Optional.empty() : Optional.of(variant.trim());
        Platform platform = new Platform(os.trim(), arch.trim(), v, entry.platform().osVersion());
        entries.set(at, new ManifestDrafts.Entry(entry.source(), entry.local(), entry.mediaType(), entry.digest(), entry.size(),
                platform, entry.osFeatures()));
        message.set(entry.source() + " is " + platform + " in the list.");
        return true;
    }

    /**
     * Keeps the draft under the list's name and pushes it: local images first (by digest into the
     * list's repository), registry images mounted or copied there, then the list.
     */
    public void push() {
        if (!canPush.get()) {
            return;
        }
        ImageReference list;
        try {
            list = ImageReference.parse(name.get().trim());
        } catch (GantryException e) {
            message.set(text(e));
            return;
        }
        if (list.tag().isEmpty() || list.digest().isPresent()) {
            message.set("Name the list with a tag, e.g. " + list.repo() + ":1 (a list pushed by digest has no name to find it by).");
            return;
        }
        ManifestDrafts.Format chosen = format.get();
        List<ManifestDrafts.Entry> now = List.copyOf(entries);
        ImageStore store = local.get();
        Cancellation mine = newCancellation();
        busy.set(true);
        pushing.set(true);
        progress.clear();
        message.set("Pushing " + list.familiar() + "…");
        Map<String, String> rows = new LinkedHashMap<>();
        java.util.Set<String> atWork = new java.util.HashSet<>(); // layers the push has not finished
        Object lock = new Object();
        boolean[] scheduled = {false};
        tasks.run(() -> {
            drafts.put(new ManifestDrafts.Draft(list, now));
            return drafts.push(list, chosen, store, event -> {
                synchronized (lock) {
                    rows.put(event.layer().isEmpty() ? "#" + rows.size() : event.layer(), line(event));
                    if (event.isLayerEvent() && event.finished()) {
                        atWork.remove(event.layer());
                    } else if (event.isLayerEvent()) {
                        atWork.add(event.layer());
                    }
                    if (scheduled[0]) {
                        return; // one hand-over to the FX thread at a time: bytes arrive far faster than a frame
                    }
                    scheduled[0] = true;
                }
                fx.execute(() -> {
                    List<String> lines;
                    synchronized (lock) {
                        scheduled[0] = false;
                        lines = List.copyOf(rows.values());
                    }
                    progress.setAll(lines);
                });
            }, mine);
        }, (PushResult result) -> {
            busy.set(false);
            pushing.set(false);
            synchronized (lock) {
                progress.setAll(rows.values());
            }
            message.set("Pushed " + result.reference() + ": " + result.digest() + " (" + result.size() + " bytes, "
                    + (chosen == ManifestDrafts.Format.OCI ? "OCI index" : "Docker manifest list") + ").");
        }, error -> {
            busy.set(false);
            pushing.set(false);
            boolean cancelled = error instanceof GantryException e && e.kind() == ErrorKind.CANCELLED;
            synchronized (lock) {
                // as the pull cards: no layer left saying it is at work once the push has ended
                atWork.forEach(layer -> rows.put(layer, layer + ": " + (cancelled ? "Cancelled" : "Stopped")));
                progress.setAll(rows.values());
            }
            message.set(cancelled ? "Push cancelled. Blobs that arrived stay; pushing again skips them." : text(error));
        });
    }

    /**
     * The window opens again: the log and message of a push that ended before it was closed are
     * cleared (the list's name, format and images are kept, as a draft).
     */
    public void reopened() {
        if (!busy.get()) {
            progress.clear();
            message.set("");
        }
    }

    /** Stops adding or pushing. */
    public void cancel() {
        cancellation.cancel();
    }

    private Cancellation newCancellation() {
        cancellation.cancel();
        cancellation = new Cancellation();
        return cancellation;
    }

    private static String line(PushProgress event) {
        String text = io.gantry.core.PeerText.clean(event.text());
        if (event.phase() == PushProgress.Phase.PUSHING && event.total() > 0) {
            text = text + " " + io.gantry.service.ImageTable.humanSize(event.current()) + "/"
                    + io.gantry.service.ImageTable.humanSize(event.total());
        }
        return event.layer().isEmpty() ? text : event.layer() + ": " + text;
    }

    private void renderPreview() {
        preview.set(new String(ManifestDrafts.render(List.copyOf(entries), format.get()), StandardCharsets.UTF_8));
    }

    private static String text(Throwable error) {
        return ErrorMessages.of(error).oneLine();
    }
}
