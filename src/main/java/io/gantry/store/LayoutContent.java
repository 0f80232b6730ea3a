package io.gantry.store;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageConfig;
import io.gantry.core.ImageIndex;
import io.gantry.core.ImageReference;
import io.gantry.core.Manifest;
import io.gantry.core.ManifestContent;
import io.gantry.core.MediaTypes;
import io.gantry.core.Platform;
import io.gantry.registry.ManifestCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From {@code index.json} entries to images: each entry resolved to its image manifest and config
 * (an entry that is an index, to the manifest for this store's platform), entries grouped by image
 * ID, and a user's text (a name, an ID, an ID prefix, a manifest digest) found among them. Parsed
 * content is cached by digest, since it is immutable, for layouts of up to 2,000 images; a read of
 * a larger one goes around the cache and keeps of each image only what its caller reduces it to.
 */
final class LayoutContent {

    private static final Logger log = LoggerFactory.getLogger(LayoutContent.class);
    private static final int PARSED_CACHE_ENTRIES = 4096;
    private static final Pattern HEX_PREFIX = Pattern.compile("(sha256:)?[a-f0-9]{1,64}");

    /** An index.json entry resolved to the image manifest it stands for. */
    record Resolved(IndexEntry entry, Descriptor manifestDescriptor, Manifest manifest, ImageConfig config) {
        Digest imageId() {
            return manifest.config().digest();
        }
    }

    /** Entries resolved, and those that could not be (damaged or missing content) with why. */
    record Resolution(List<Resolved> resolved, Map<IndexEntry, GantryException> broken) {
    }

    /** What a user's text found: the image and, when a name was given, the name. */
    record Target(LayoutImage image, Optional<ImageName> name) {
    }

    private final LayoutPaths paths;
    private final LayoutBlobs blobs;
    private final Platform platform;
    /**
     * Parsed manifests, indexes and configs by digest (immutable content), so a refresh reads only
     * what is new. Two entries per image: room for a listing of 2,000 images to stay cached.
     */
    private final Map<Digest, Object> parsed = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Digest, Object> eldest) {
            return size() > PARSED_CACHE_ENTRIES;
        }
    });

    LayoutContent(LayoutPaths paths, LayoutBlobs blobs, Platform platform) {
        this.paths = paths;
        this.blobs = blobs;
        this.platform = platform;
    }

    Resolution resolve(List<IndexEntry> entries) {
        Map<IndexEntry, GantryException> broken = new LinkedHashMap<>();
        return new Resolution(resolveEach(entries, r -> r, broken), broken);
    }

    /**
     * Every entry resolved and at once reduced by {@code reduce}, in index.json order; damaged
     * entries are logged and left out. Only the reductions are kept: a layout of 10,000 images
     * would otherwise hold 10,000 parsed manifests and configs at the same time (long enough for
     * the young generation to promote them all).
     */
    <T> List<T> resolveEach(List<IndexEntry> entries, Function<Resolved, T> reduce) {
        return resolveEach(entries, reduce, new LinkedHashMap<>());
    }

    private <T> List<T> resolveEach(List<IndexEntry> entries, Function<Resolved, T> reduce,
                                    Map<IndexEntry, GantryException> broken) {
        // Entries are read and parsed in parallel (each is a few small files), then taken in
        // index.json order. A read of more entries than the cache holds goes around it: least
        // recently used, it would evict everything and keep what the next such read needs last.
        boolean remember = entries.size() * 2L <= PARSED_CACHE_ENTRIES;
        Object[] outcomes = new Object[entries.size()];
        IntStream.range(0, entries.size()).parallel().forEach(i -> {
            try {
                outcomes[i] = reduce.apply(resolve(entries.get(i), remember));
            } catch (GantryException e) {
                outcomes[i] = e;
            }
        });
        List<T> values = new ArrayList<>(entries.size());
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] instanceof GantryException e) {
                IndexEntry entry = entries.get(i);
                String name = entry.name().map(ImageName::display).orElse(entry.descriptor().digest().toString());
                broken.put(entry, e);
                log.warn("skipping image {} in {}: {}", name, paths.root(), e.getMessage());
            } else {
                @SuppressWarnings("unchecked")
                T value = (T) outcomes[i];
                values.add(value);
            }
        }
        return values;
    }

    private Resolved resolve(IndexEntry entry, boolean remember) {
        Descriptor descriptor = entry.descriptor();
        ManifestContent content = content(descriptor, remember);
        if (content instanceof ImageIndex index) {
            descriptor = chooseFrom(index, descriptor);
            content = content(descriptor, remember);
        }
        if (!(content instanceof Manifest manifest)) {
            throw new GantryException(ErrorKind.BAD_CONTENT, "read " + descriptor.digest(), "nested indexes are not supported");
        }
        ImageConfig config = config(manifest.config(), remember);
        ManifestCodec.requireSameLayers(manifest, config, "read image " + descriptor.digest());
        return new Resolved(entry, descriptor, manifest, config);
    }

    /** The manifest of an index that fits this store's platform best, among those stored. */
    private Descriptor chooseFrom(ImageIndex index, Descriptor indexDescriptor) {
        List<Descriptor> stored = index.manifests().stream()
                .filter(d -> MediaTypes.isImageManifest(d.mediaType()) && blobs.has(d.digest())).toList();
        Optional<Descriptor> best = ImageIndex.of(index.mediaType(), stored).manifestFor(platform);
        return best.or(() -> stored.stream().findFirst()).orElseThrow(() -> LayoutBlobs.damaged(
                "read index " + indexDescriptor.digest(), "none of the index's manifests is stored"));
    }

    /** A stored manifest or index, parsed (cached). */
    ManifestContent content(Descriptor descriptor) {
        return content(descriptor, true);
    }

    private ManifestContent content(Descriptor descriptor, boolean remember) {
        Object cached = parsed.get(descriptor.digest());
        if (cached instanceof ManifestContent content) {
            return content;
        }
        ManifestContent content = ManifestCodec.parse(blobs.readSmall(descriptor), Optional.of(descriptor.mediaType()),
                "read manifest " + descriptor.digest());
        if (remember) {
            parsed.put(descriptor.digest(), content);
        }
        return content;
    }

    /** A stored config, parsed (cached). */
    ImageConfig config(Descriptor descriptor) {
        return config(descriptor, true);
    }

    private ImageConfig config(Descriptor descriptor, boolean remember) {
        Object cached = parsed.get(descriptor.digest());
        if (cached instanceof ImageConfig config) {
            return config;
        }
        ImageConfig config = ManifestCodec.parseConfig(blobs.readSmall(descriptor), "read config " + descriptor.digest());
        if (remember) {
            parsed.put(descriptor.digest(), config);
        }
        return config;
    }

    /** Drops a removed blob's parsed content. */
    void forget(Digest digest) {
        parsed.remove(digest);
    }

    /** Resolved entries grouped by image ID, in index.json order. */
    static List<LayoutImage> group(List<Resolved> resolved) {
        Map<Digest, List<Resolved>> byId = new LinkedHashMap<>();
        for (Resolved r : resolved) {
            byId.computeIfAbsent(r.imageId(), k -> new ArrayList<>()).add(r);
        }
        List<LayoutImage> images = new ArrayList<>();
        for (Map.Entry<Digest, List<Resolved>> e : byId.entrySet()) {
            Resolved first = e.getValue().get(0);
            List<IndexEntry> entries = e.getValue().stream().map(Resolved::entry).toList();
            images.add(new LayoutImage(e.getKey(), first.manifestDescriptor(), first.manifest(), first.config(),
                    IndexEntry.names(entries), IndexEntry.sourceIndex(entries), IndexEntry.sourceManifest(entries)));
        }
        return images;
    }

    /**
     * What {@link #find(String, Resolution, String)} finds among all of {@code entries}, reading
     * only the entries that can be it (the details pane and {@code inspect} ask for one image of
     * a layout that may hold 10,000). Each entry's image ID comes from {@code knownImageId} (the
     * listing cache) or else from its manifest alone; then only the images the input could name
     * (by an entry's name, by their ID, by a manifest or source digest, by an ID prefix) are resolved
     * in full, all their entries, with the entries that could make the answer "damaged". The answer is
     * the same as resolving every entry: an image outside that set matches none of the rules, and
     * the images in it keep their order and all their entries.
     */
    Target find(String input, List<IndexEntry> entries, Function<IndexEntry, Optional<Digest>> knownImageId,
                String op) {
        Optional<ImageReference> parsed = parseQuietly(input);
        Optional<Digest> digest = Digest.isDigest(input) ? Optional.of(Digest.of(input)) : Optional.empty();
        Optional<String> prefix = digest.isEmpty() && HEX_PREFIX.matcher(input).matches()
                ? Optional.of(input.startsWith("sha256:") ? input : "sha256:" + input) : Optional.empty();
        boolean remember = entries.size() * 2L <= PARSED_CACHE_ENTRIES;
        Identified[] identified = new Identified[entries.size()];
        List<Integer> unknown = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Optional<Digest> known = knownImageId.apply(entries.get(i));
            if (known.isPresent()) {
                identified[i] = new Identified(known, Optional.of(entries.get(i).descriptor().digest()));
            } else {
                unknown.add(i);
            }
        }
        unknown.parallelStream().forEach(i -> identified[i] = identify(entries.get(i), remember));
        boolean[] named = new boolean[entries.size()];
        Set<Digest> candidates = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Identified id = identified[i];
            IndexEntry entry = entries.get(i);
            named[i] = entry.name().map(n -> n.matches(input, parsed)).orElse(false);
            if (id.imageId().isEmpty()) {
                continue; // unreadable: damaged, and found below if the input names it
            }
            boolean byDigest = digest.isPresent() && (id.imageId().get().equals(digest.get())
                    || id.manifest().map(digest.get()::equals).orElse(false)
                    || entry.sourceIndex().map(d -> d.digest().equals(digest.get())).orElse(false)
                    || entry.sourceManifest().map(d -> d.digest().equals(digest.get())).orElse(false));
            boolean byPrefix = prefix.isPresent() && id.imageId().get().toString().startsWith(prefix.get());
            if (named[i] || byDigest || byPrefix) {
                candidates.add(id.imageId().get());
            }
        }
        List<IndexEntry> needed = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            IndexEntry entry = entries.get(i);
            boolean candidate = identified[i].imageId().map(candidates::contains).orElse(false);
            boolean mayBeDamaged = named[i] || entry.descriptor().digest().toString().equals(input);
            if (candidate || mayBeDamaged) {
                needed.add(entry);
            }
        }
        return find(input, resolve(needed), op);
    }

    /** An entry's image ID and image manifest, as far as they are known without reading its config. */
    private record Identified(Optional<Digest> imageId, Optional<Digest> manifest) {
    }

    /** Reads an entry's manifest (through its index, if it is one) for its image ID, not its config. */
    private Identified identify(IndexEntry entry, boolean remember) {
        try {
            Descriptor descriptor = entry.descriptor();
            ManifestContent content = content(descriptor, remember);
            if (content instanceof ImageIndex index) {
                descriptor = chooseFrom(index, descriptor);
                content = content(descriptor, remember);
            }
            if (content instanceof Manifest manifest) {
                return new Identified(Optional.of(manifest.config().digest()), Optional.of(descriptor.digest()));
            }
        } catch (GantryException e) {
            // damaged: resolving it, if it matters, says why
        }
        return new Identified(Optional.empty(), Optional.empty());
    }

    /**
     * The image {@code input} stands for: a name, then a full digest (image ID, manifest, the
     * index or original manifest it came as), then an ID prefix. {@code NOT_FOUND} when none,
     * {@code INVALID_INPUT} when a prefix is ambiguous, {@code STORAGE} when it names a damaged entry.
     */
    Target find(String input, Resolution resolution, String op) {
        Optional<ImageReference> parsed = parseQuietly(input);
        List<LayoutImage> images = group(resolution.resolved());
        for (LayoutImage image : images) {
            for (ImageName name : image.names()) {
                if (name.matches(input, parsed)) {
                    return new Target(image, Optional.of(name));
                }
            }
        }
        if (Digest.isDigest(input)) {
            Digest digest = Digest.of(input);
            for (LayoutImage image : images) {
                if (image.id().equals(digest) || image.manifest().digest().equals(digest)
                        || image.sourceIndex().map(d -> d.digest().equals(digest)).orElse(false)
                        || image.sourceManifest().map(d -> d.digest().equals(digest)).orElse(false)) {
                    return new Target(image, Optional.empty());
                }
            }
        } else if (HEX_PREFIX.matcher(input).matches()) {
            String prefix = input.startsWith("sha256:") ? input : "sha256:" + input;
            List<LayoutImage> matches = images.stream().filter(i -> i.id().toString().startsWith(prefix)).toList();
            if (matches.size() == 1) {
                return new Target(matches.get(0), Optional.empty());
            }
            if (matches.size() > 1) {
                throw new GantryException(ErrorKind.INVALID_INPUT, op, "'" + input + "' is the start of " + matches.size()
                        + " image IDs", null, 0, "Give more characters of the image ID.", null);
            }
        }
        for (Map.Entry<IndexEntry, GantryException> damaged : resolution.broken().entrySet()) {
            boolean named = damaged.getKey().name().map(n -> n.matches(input, parsed)).orElse(false);
            if (named || damaged.getKey().descriptor().digest().toString().equals(input)) {
                GantryException cause = damaged.getValue();
                throw new GantryException(ErrorKind.STORAGE, op, "the image is damaged: " + cause.getMessage(),
                        "LAYOUT_DAMAGED", 0, "gantry verify lists what is damaged; pull or load the image again.", cause);
            }
        }
        if (parsed.isEmpty() && !HEX_PREFIX.matcher(input).matches() && !Digest.isDigest(input)) {
            ImageReference.parse(input); // neither a name nor an ID: say what is wrong with it
        }
        throw new GantryException(ErrorKind.NOT_FOUND, op, "no such image: " + input, "IMAGE_UNKNOWN", 0,
                "gantry images lists the images in the store.", null);
    }

    private static Optional<ImageReference> parseQuietly(String input) {
        try {
            return Optional.of(ImageReference.parse(input));
        } catch (GantryException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
