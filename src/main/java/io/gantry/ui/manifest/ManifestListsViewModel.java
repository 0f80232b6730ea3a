package io.gantry.ui.manifest;

import io.gantry.core.Digest;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.ManifestList;
import io.gantry.ui.FxTasks;
import io.gantry.ui.Notice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.concurrent.Task;

/**
 * The manifest lists the selected endpoint keeps apart from its images (Podman's
 * {@code podman manifest create/add}, {@link ImageStore#manifestLists()}), each with its
 * platforms and which of their images the endpoint has. Read in the background after each listing
 * of the endpoint's images; an endpoint that keeps none has no rows, and the window then shows no
 * manifest-list section.
 */
public final class ManifestListsViewModel {

    /**
     * One platform of a list.
     *
     * @param entry the list's entry (manifest digest, media type, size, platform)
     * @param local the endpoint's image whose manifest that is, when the endpoint has it
     */
    public record Platform(ManifestList.Entry entry, Optional<ImageSummary> local) {

        /** {@code linux/arm64/v8}, or "no platform" when the list does not say. */
        public String platformText() {
            return entry.platform().map(Object::toString).orElse("no platform");
        }

        /** The local image's first name (or its short ID when it has none), or "not on this endpoint". */
        public String localText() {
            return local.map(image -> image.repoTags().isEmpty() ? "<none> " + image.id().shortHex()
                    : image.repoTags().get(0) + " (" + image.id().shortHex() + ")").orElse("not on this endpoint");
        }
    }

    /**
     * One list with its platforms.
     *
     * @param list      the list as the endpoint keeps it
     * @param platforms its entries in the list's order, each with its local image
     */
    public record Row(ManifestList list, List<Platform> platforms) {

        public Row {
            platforms = List.copyOf(platforms);
        }

        /** Its first name, or its short ID when it has none. */
        public String name() {
            return list.names().isEmpty() ? "<none> " + list.id().shortHex() : list.names().get(0);
        }

        /** "linux/amd64, linux/arm64/v8". */
        public String platformsText() {
            return String.join(", ", platforms.stream().map(Platform::platformText).toList());
        }

        /** How many of its platforms' images the endpoint has: "1 of 2". */
        public String localText() {
            long local = platforms.stream().filter(p -> p.local().isPresent()).count();
            return local + " of " + platforms.size();
        }

        /** The list's digest (short), or its ID's when the endpoint gives no digest. */
        public String digestText() {
            return list.digest().map(Digest::toString).orElse("");
        }
    }

    private final FxTasks tasks;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final FilteredList<Row> visibleRows = new FilteredList<>(rows);
    private final ObjectProperty<Row> selected = new SimpleObjectProperty<>();
    private final BooleanProperty shown = new SimpleBooleanProperty(false);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final javafx.beans.property.ReadOnlyIntegerWrapper reads = new javafx.beans.property.ReadOnlyIntegerWrapper();
    private Task<?> reading;
    private ImageStore readingFrom;

    public ManifestListsViewModel(FxTasks tasks) {
        this.tasks = tasks;
    }

    /** Every list of the endpoint, as last read. */
    public ObservableList<Row> rows() {
        return rows;
    }

    /** The lists the filter text lets through. */
    public ObservableList<Row> visibleRows() {
        return visibleRows;
    }

    /** The list whose platforms the details show; null when none is selected. */
    public ObjectProperty<Row> selectedProperty() {
        return selected;
    }

    /** Whether the window shows the lists (instead of the images). */
    public BooleanProperty shownProperty() {
        return shown;
    }

    /** How many reads of the selected endpoint's lists have ended (answered or failed) since it was selected. */
    public javafx.beans.property.ReadOnlyIntegerProperty readsProperty() {
        return reads.getReadOnlyProperty();
    }

    /** Why the lists could not be read; empty when they were. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Shows only the lists one of whose names (or whose ID) contains {@code text}, ignoring case. */
    public void filter(String text) {
        String typed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        String hex = typed.startsWith("sha256:") ? typed.substring("sha256:".length()) : typed;
        visibleRows.setPredicate(row -> typed.isEmpty()
                || row.list().names().stream().anyMatch(name -> name.toLowerCase(Locale.ROOT).contains(typed))
                || row.list().id().hex().startsWith(hex));
    }

    /**
     * Reads {@code store}'s lists in the background, matching each platform's manifest digest to
     * the {@code images} just listed (by their repo digests); a read still running is cancelled.
     */
    public void load(ImageStore store, List<ImageSummary> images) {
        if (reading != null) {
            reading.cancel();
        }
        if (store != readingFrom) {
            clear();
        }
        readingFrom = store;
        reading = tasks.run(() -> rowsOf(store.manifestLists(), images), found -> {
            if (store != readingFrom) {
                return;
            }
            message.set("");
            Digest kept = selected.get() == null ? null : selected.get().list().id();
            rows.setAll(found);
            selected.set(found.stream().filter(row -> row.list().id().equals(kept)).findFirst().orElse(null));
            if (found.isEmpty()) {
                shown.set(false);
            }
            reads.set(reads.get() + 1);
        }, error -> {
            if (store == readingFrom) {
                message.set("The manifest lists could not be read: " + Notice.describe(error));
                reads.set(reads.get() + 1);
            }
        });
    }

    /** Forgets the lists (another endpoint is selected). */
    public void clear() {
        if (reading != null) {
            reading.cancel();
            reading = null;
        }
        readingFrom = null;
        reads.set(0);
        rows.clear();
        selected.set(null);
        message.set("");
        shown.set(false);
    }

    /** Each list with its platforms, each platform with the image of {@code images} whose repo digests name its manifest. */
    static List<Row> rowsOf(List<ManifestList> lists, List<ImageSummary> images) {
        Map<Digest, ImageSummary> byManifest = new HashMap<>();
        for (ImageSummary image : images) {
            for (String repoDigest : image.repoDigests()) {
                int at = repoDigest.lastIndexOf('@');
                if (at < 0) {
                    continue;
                }
                try {
                    byManifest.putIfAbsent(Digest.of(repoDigest.substring(at + 1)), image);
                } catch (IllegalArgumentException notADigest) {
                    // a name the engine made up; it names no manifest
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (ManifestList list : lists) {
            rows.add(new Row(list, list.entries().stream()
                    .map(entry -> new Platform(entry, Optional.ofNullable(byManifest.get(entry.digest())))).toList()));
        }
        rows.sort(java.util.Comparator.comparing(Row::name));
        return rows;
    }
}
