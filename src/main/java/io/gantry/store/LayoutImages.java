package io.gantry.store;

import io.gantry.core.ChainSharing;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageConfig;
import io.gantry.core.ImageReference;
import io.gantry.core.Manifest;
import io.gantry.core.MediaTypes;
import io.gantry.engine.HistoryEntry;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.LayerHistory;
import io.gantry.engine.LocalImage;
import io.gantry.store.LayoutContent.Resolution;
import io.gantry.store.LayoutContent.Resolved;
import io.gantry.store.LayoutContent.Target;
import io.gantry.registry.ManifestCodec;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The images of the layout (go-containerregistry's {@code layout.Path.AppendImage} and
 * {@code ReplaceImage}, with Docker's naming): listing, inspecting, naming and adding.
 */
final class LayoutImages {

    private final LayoutPaths paths;
    private final StoreLocks locks;
    private final LayoutIndex index;
    private final LayoutBlobs blobs;
    private final LayoutContent content;
    private final ListingCache listingCache;
    private final ListingSnapshot snapshot;
    private final LayoutGc gc;

    LayoutImages(LayoutPaths paths, StoreLocks locks, LayoutIndex index, LayoutBlobs blobs, LayoutContent content,
                 ListingCache listingCache, ListingSnapshot snapshot, LayoutGc gc) {
        this.paths = paths;
        this.locks = locks;
        this.index = index;
        this.blobs = blobs;
        this.content = content;
        this.listingCache = listingCache;
        this.snapshot = snapshot;
        this.gc = gc;
    }

    /**
     * An image as a listing sees it: what {@link LayoutImage} has, less the parsed manifest and
     * config, whose listing facts come from the {@link ListingCache} when it knows them. {@code
     * blobs} are what every entry of the image keeps stored: an image can be in the index under
     * several manifests whose layers are other blobs (pulled gzipped from a registry, copied
     * uncompressed from Docker), and the disk use counts them all. {@code layers} are the layer
     * blobs of every such manifest, the first's in order, then the others' other blobs, each once.
     */
    private record Listed(Digest id, Descriptor manifest, ListingCache.Facts facts, List<ImageName> names,
                          List<ListingCache.Blob> blobs, List<ListingCache.Blob> layers) {

        /**
         * The images of one listing; {@code complete} when every entry is an image manifest listed
         * as itself, whose manifest and config blobs are {@code checked} (a snapshot may be made).
         */
        record All(List<Listed> images, boolean complete, List<ListingSnapshot.Blob> checked) {
        }

        List<String> repoTags() {
            return LayoutImage.repoTags(names);
        }

        List<String> repoDigests() {
            return LayoutImage.repoDigests(names);
        }
    }

    /**
     * The listing of one read of the index: from the {@link ListingSnapshot} when it was made from
     * these very bytes of {@code index.json} and its manifests and configs are all still stored;
     * else {@link #listed} (and the snapshot written anew).
     */
    private ListingSnapshot.Listing listing() {
        try (StoreLocks.Held held = locks.shared("list images")) {
            String op = "list images in " + paths.root();
            ListingSnapshot.Stamp before = snapshot.stamp(); // before anything is read: see ListingSnapshot
            byte[] bytes = index.bytes(op);
            Optional<ListingSnapshot.Listing> snapshotted = snapshot.listing(bytes);
            if (snapshotted.isPresent()) {
                return snapshotted.get();
            }
            Listed.All all = listed(index.parsed(bytes, op).entries());
            ListingSnapshot.Listing listing = new ListingSnapshot.Listing(summaries(all.images()), diskUsage(all.images()));
            if (all.complete()) {
                snapshot.save(bytes, before, all.checked(), listing);
            } else {
                snapshot.forget();
            }
            return listing;
        }
    }

    /** Whether the listing snapshot was made from exactly these bytes of index.json (see {@code LayoutIndex.readAtOpen}). */
    boolean snapshotMadeFrom(byte[] indexBytes) {
        return snapshot.madeFrom(indexBytes);
    }

    long snapshotListings() {
        return snapshot.used();
    }

    /**
     * Every image of {@code entries}, as {@link #images()} groups them, reading and parsing only
     * the manifests the listing cache does not know (and those an entry chooses from an index,
     * since which child it chooses depends on what is stored).
     */
    private Listed.All listed(List<IndexEntry> entries) {
        // by position in index.json: each entry's manifest and facts, from the cache or read
        // (none: damaged, and content.resolve logged why)
        Descriptor[] manifests = new Descriptor[entries.size()];
        ListingCache.Facts[] facts = new ListingCache.Facts[entries.size()];
        Map<IndexEntry, Integer> unknown = new IdentityHashMap<>();
        List<IndexEntry> toRead = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Descriptor d = entries.get(i).descriptor();
            Optional<ListingCache.Facts> cached = MediaTypes.isImageManifest(d.mediaType())
                    ? listingCache.get(d.digest(), d.size()) : Optional.empty();
            if (cached.isPresent()) {
                manifests[i] = d;
                facts[i] = cached.get();
            } else {
                unknown.put(entries.get(i), i);
                toRead.add(entries.get(i));
            }
        }
        record Read(IndexEntry entry, Descriptor manifest, ListingCache.Facts facts) {
        }
        for (Read r : content.resolveEach(toRead,
                r -> new Read(r.entry(), r.manifestDescriptor(), ListingCache.Facts.of(r.manifest(), r.config())))) {
            int i = unknown.get(r.entry());
            manifests[i] = r.manifest();
            facts[i] = r.facts();
            if (manifests[i].digest().equals(r.entry().descriptor().digest())) {
                listingCache.put(manifests[i].digest(), facts[i]);
            }
        }
        listingCache.save(entries.stream().map(e -> e.descriptor().digest()).collect(Collectors.toSet()));
        // a snapshot only of entries that are image manifests, each listed as itself
        boolean complete = true;
        List<ListingSnapshot.Blob> checked = new ArrayList<>(2 * entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Descriptor d = entries.get(i).descriptor();
            complete &= facts[i] != null && MediaTypes.isImageManifest(d.mediaType())
                    && manifests[i].digest().equals(d.digest()) && manifests[i].size() == d.size();
            if (complete) {
                checked.add(ListingSnapshot.Blob.of(d.digest(), d.size()));
                checked.add(ListingSnapshot.Blob.of(facts[i].config().digest(), facts[i].config().size()));
            }
        }
        Map<Digest, List<Integer>> byId = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            if (facts[i] != null) {
                byId.computeIfAbsent(facts[i].config().digest(), k -> new ArrayList<>()).add(i);
            }
        }
        List<Listed> images = new ArrayList<>();
        for (Map.Entry<Digest, List<Integer>> e : byId.entrySet()) {
            int first = e.getValue().get(0);
            List<IndexEntry> sameImage = e.getValue().stream().map(entries::get).toList();
            List<ListingCache.Blob> stored = new ArrayList<>();
            Map<Digest, ListingCache.Blob> layers = new LinkedHashMap<>();
            for (int i : e.getValue()) {
                stored.add(new ListingCache.Blob(manifests[i].digest(), manifests[i].size()));
                stored.add(facts[i].config());
                stored.addAll(facts[i].layers());
                facts[i].layers().forEach(layer -> layers.putIfAbsent(layer.digest(), layer));
                entries.get(i).provenance().forEach(d -> stored.add(new ListingCache.Blob(d.digest(), d.size())));
            }
            images.add(new Listed(e.getKey(), manifests[first], facts[first], IndexEntry.names(sameImage), stored,
                    List.copyOf(layers.values())));
        }
        return new Listed.All(images, complete, checked);
    }

    List<LayoutImage> images() {
        try (StoreLocks.Held held = locks.shared("list images")) {
            return LayoutContent.group(content.resolve(index.read("list images in " + paths.root()).entries()).resolved());
        }
    }

    /**
     * The image {@code nameOrId} stands for, reading only the entries that can be it (each other
     * entry's image ID comes from the listing cache, or else from its manifest alone).
     */
    LayoutImage image(String nameOrId) {
        try (StoreLocks.Held held = locks.shared("find " + nameOrId)) {
            List<IndexEntry> entries = index.read("find " + nameOrId).entries();
            return content.find(nameOrId, entries, this::knownImageId, "find image " + nameOrId).image();
        }
    }

    private Optional<Digest> knownImageId(IndexEntry entry) {
        Descriptor d = entry.descriptor();
        return MediaTypes.isImageManifest(d.mediaType()) ? listingCache.imageIdOf(d.digest()) : Optional.empty();
    }

    /**
     * Every image in one read of the index, each with its layers, grouped by image ID as {@link
     * #images()} groups them; the layout keeps no parent links. Each entry is reduced to its layers
     * as it is read (see {@code LayoutContent.resolveEach}).
     */
    List<LocalImage> localImages() {
        record Read(IndexEntry entry, Digest imageId, List<ImageLayer> layers) {
        }
        List<Read> read;
        try (StoreLocks.Held held = locks.shared("list images")) {
            read = content.resolveEach(index.read("list images in " + paths.root()).entries(),
                    r -> new Read(r.entry(), r.imageId(), LayerHistory.layers(r.manifest(), r.config())));
        }
        Map<Digest, List<Read>> byId = new LinkedHashMap<>();
        read.forEach(r -> byId.computeIfAbsent(r.imageId(), k -> new ArrayList<>()).add(r));
        List<LocalImage> images = new ArrayList<>(byId.size());
        byId.forEach((id, same) -> {
            List<ImageName> names = IndexEntry.names(same.stream().map(Read::entry).toList());
            images.add(new LocalImage(id, LayoutImage.repoTags(names), LayoutImage.repoDigests(names), Optional.empty(),
                    same.get(0).layers(), LayoutImage.copies(same.stream().map(Read::entry).toList(),
                            same.stream().map(Read::layers).toList())));
        });
        return images;
    }

    /** The bytes of every blob an image references (layers, configs, manifests, source indexes), each once. */
    long diskUsage() {
        return listing().diskUsage();
    }

    /** The listing and the disk use from one read of the index. */
    io.gantry.engine.ImageStore.Listing listWithDiskUsage() {
        ListingSnapshot.Listing listing = listing();
        return new io.gantry.engine.ImageStore.Listing(listing.images(), java.util.OptionalLong.of(listing.diskUsage()));
    }

    private static long diskUsage(List<Listed> images) {
        Map<Digest, Long> sizes = new HashMap<>();
        for (Listed image : images) {
            image.blobs().forEach(blob -> sizes.put(blob.digest(), blob.size()));
        }
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    List<ImageSummary> listImages() {
        return listing().images();
    }

    /**
     * SIZE, SHARED and UNIQUE as a blob store keeps layers ({@link ChainSharing#ofBlobs}, the delete
     * rules' {@code LayerKey.BLOB}): UNIQUE is exactly what deleting the image alone frees. An image
     * kept as several blob sets counts the layer blobs of all of them, as its delete frees them all.
     */
    private static List<ImageSummary> summaries(List<Listed> images) {
        Map<Digest, List<Digest>> blobs = new LinkedHashMap<>();
        images.forEach(image -> blobs.putIfAbsent(image.id(),
                image.layers().stream().map(ListingCache.Blob::digest).toList()));
        ChainSharing sharing = ChainSharing.ofBlobs(blobs);
        List<ImageSummary> summaries = new ArrayList<>();
        for (Listed image : images) {
            List<Long> layerSizes = image.layers().stream().map(ListingCache.Blob::size).toList();
            summaries.add(new ImageSummary(image.id(), image.repoTags(), image.repoDigests(),
                    image.facts().created().orElse(Instant.EPOCH), sharing.size(image.id(), layerSizes),
                    sharing.sharedSize(image.id(), layerSizes), 0));
        }
        return summaries;
    }

    ImageDetails inspect(String nameOrId) {
        LayoutImage image = image(nameOrId);
        ImageConfig config = image.config();
        return new ImageDetails(image.id(), image.repoTags(), image.repoDigests(), Optional.empty(),
                config.created().orElse(Instant.EPOCH), Optional.of(config.platform()), image.size(), config.run(),
                config.diffIds(), "", Map.of(), config.author().orElse(""), "");
    }

    List<HistoryEntry> history(String nameOrId) {
        return image(nameOrId).history();
    }

    void tag(String source, ImageReference target) {
        String op = "tag " + source + " as " + target.familiar();
        if (target.digest().isPresent() || target.tag().isEmpty()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, op, "a tag cannot contain a digest", null, 0,
                    "Give the new name as repository:tag.", null);
        }
        name(source, target, op);
    }

    /**
     * Records {@code repo@digest} for the image {@code source} names, as a push does (Docker's
     * reference store keeps the digest a push answered), so the update check knows the image.
     */
    void recordDigest(String source, ImageReference atDigest) {
        String op = "record " + atDigest.familiar();
        if (atDigest.digest().isEmpty() || atDigest.tag().isPresent()) {
            throw new GantryException(ErrorKind.INTERNAL, op, "not a repository@digest reference");
        }
        name(source, atDigest, op);
    }

    private void name(String source, ImageReference target, String op) {
        try (StoreLocks.Held held = locks.shared(op)) {
            List<IndexEntry> before = new ArrayList<>();
            List<IndexEntry> after = index.update(op, entries -> {
                before.clear();
                before.addAll(entries);
                Resolution resolution = content.resolve(entries);
                List<Resolved> resolved = resolution.resolved();
                Target found = content.find(source, resolution, op);
                IndexEntry base = IndexEdits.baseEntry(found, resolved);
                ImageName name = ImageName.of(target);
                List<IndexEntry> updated = IndexEdits.removeName(entries, name, found.image().id(), resolved);
                updated.add(IndexEdits.named(base, name));
                return IndexEdits.dropRedundantDangling(updated);
            });
            gc.noteDropped(IndexEdits.dropped(before, after));
        }
    }

    /**
     * Adds a stored image manifest under {@code names} (none: a dangling image), as a pull or
     * import finishes. Its config must list as many layers as it has (refused with
     * {@code BAD_CONTENT} otherwise). Every blob the manifest references must already be stored
     * ({@code BAD_CONTENT} otherwise: the index never points at missing content). A name that
     * named another image moves here, and that image stays as a dangling one.
     *
     * <p>A Docker v2 manifest is entered in its OCI form (same config bytes, so the same image ID,
     * same layer blobs, OCI media types), because tools reading OCI layouts (skopeo and podman of
     * Debian 12) skip Docker-typed entries; the original stays as a blob, referenced from the
     * entry, so the registry's digests remain verifiable.
     *
     * @param manifest       the image manifest, stored
     * @param names          the names to give it (tags and {@code repo@digest} references)
     * @param sourceIndex    the index the manifest was chosen from, stored, when there is one
     * @param sourceManifest the original of {@code manifest} when the caller converted it already
     */
    LayoutImage addImage(Descriptor manifest, List<ImageName> names, Optional<Descriptor> sourceIndex,
                         Optional<Descriptor> sourceManifest) {
        String op = "add image " + manifest.digest();
        try (StoreLocks.Held held = locks.shared(op)) {
            Manifest parsed = ManifestCodec.parseManifest(blobs.readSmall(manifest), Optional.of(manifest.mediaType()),
                    "read manifest " + manifest.digest());
            if (parsed.mediaType().equals(MediaTypes.DOCKER_MANIFEST)) {
                byte[] oci = ManifestCodec.ociForm(parsed);
                Descriptor converted = blobs.write(MediaTypes.OCI_MANIFEST, new ByteArrayInputStream(oci));
                Descriptor entry = new Descriptor(MediaTypes.OCI_MANIFEST, converted.digest(), converted.size(),
                        manifest.platform(), Map.of(), List.of());
                return addImage(entry, names, sourceIndex, Optional.of(Descriptor.of(manifest.mediaType(),
                        manifest.digest(), manifest.size())));
            }
            List<Descriptor> needed = new ArrayList<>(parsed.layers());
            needed.add(parsed.config());
            sourceIndex.ifPresent(needed::add);
            sourceManifest.ifPresent(needed::add);
            for (Descriptor d : needed) {
                if (!blobs.has(d)) {
                    throw new GantryException(ErrorKind.BAD_CONTENT, op, "the manifest references blob " + d.digest()
                            + " (" + d.size() + " bytes), which is not stored", "BLOB_UNKNOWN", 0, null, null);
                }
            }
            ManifestCodec.requireSameLayers(parsed, content.config(parsed.config()), op);
            Map<String, String> annotations = new LinkedHashMap<>();
            sourceIndex.ifPresent(idx -> {
                annotations.put(IndexEntry.SOURCE_INDEX, idx.digest().toString());
                annotations.put(IndexEntry.SOURCE_INDEX_MEDIA_TYPE, idx.mediaType());
                annotations.put(IndexEntry.SOURCE_INDEX_SIZE, Long.toString(idx.size()));
            });
            sourceManifest.ifPresent(original -> {
                annotations.put(IndexEntry.SOURCE_MANIFEST, original.digest().toString());
                annotations.put(IndexEntry.SOURCE_MANIFEST_MEDIA_TYPE, original.mediaType());
                annotations.put(IndexEntry.SOURCE_MANIFEST_SIZE, Long.toString(original.size()));
            });
            Descriptor plain = new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size(), manifest.platform(),
                    annotations, List.of());
            IndexEntry base = IndexEntry.of(plain);
            Digest id = parsed.config().digest();
            List<IndexEntry> before = new ArrayList<>();
            List<IndexEntry> after = index.update(op, entries -> {
                before.clear();
                before.addAll(entries);
                List<Resolved> resolved = content.resolve(entries).resolved();
                List<IndexEntry> updated = entries;
                for (ImageName name : names) {
                    updated = IndexEdits.removeName(updated, name, id, resolved);
                    updated.add(IndexEdits.named(base, name));
                }
                if (names.isEmpty() && updated.stream().noneMatch(e -> e.descriptor().digest().equals(manifest.digest()))) {
                    updated.add(base);
                }
                return IndexEdits.dropRedundantDangling(updated);
            });
            gc.noteDropped(IndexEdits.dropped(before, after));
            return image(names.isEmpty() ? id.toString() : names.get(0).raw());
        }
    }
}
