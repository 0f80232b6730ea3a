package io.gantry.service;

import io.gantry.core.Cancellation;
import io.gantry.core.ChainIds;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.InvalidReferenceException;
import io.gantry.engine.Capabilities;
import io.gantry.engine.Endpoint;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.ImageStore;
import io.gantry.engine.LocalImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The layers an endpoint already has, to mark a remote image's layers before a pull ({@code gantry
 * manifest inspect -s} and the search window's summary), counted exactly as that endpoint's pull skips
 * them. Each kind of endpoint decides by the blob's digest, never by the layer's content alone:
 * <ul>
 *   <li>an endpoint that keeps layer blobs (the embedded store, containerd) skips a layer when it holds
 *       that very blob; the same layer as another blob (uncompressed from a {@code docker save}
 *       archive, or compressed otherwise) is downloaded again;</li>
 *   <li>an engine keeps unpacked layers and recognises a blob only through its record of the blobs it
 *       pulled or pushed before (moby's {@code diffid-by-digest}, containers/image's blob-info cache).
 *       A layer loaded from an archive or built there has no such record, so its registry blob is
 *       downloaded again (seen with dockerd 20.10 and Podman 4.3). The engine API does not show that
 *       record; Gantry rebuilds the part of it that matters here from the manifests the engine's
 *       images were pulled or pushed as ({@code RepoDigests}) in the registry being pulled from.
 *       Docker says "Already exists" only for the longest run of base layers it has as a whole chain
 *       (moby's download manager stops looking at the first layer it lacks); Podman decides layer by
 *       layer. Podman also names a loaded image by a digest derived from its content (a manifest of
 *       uncompressed layers no registry holds): reading it teaches nothing.</li>
 * </ul>
 * An engine's record can know more than the registry's manifests show (a blob pulled from another
 * registry under the same digest, or from a manifest since deleted): then the pull downloads less than
 * the summary says, never more.
 */
public final class LocalLayers {

    /** The most manifests of the engine's images read from the registry to learn which blobs it knows. */
    static final int MAX_KNOWN_MANIFESTS = 16;

    private enum Rule { BLOBS, LAYER_BY_LAYER, CHAIN_PREFIX }

    private static final LocalLayers UNKNOWN = new LocalLayers(Rule.BLOBS, Set.of(), Set.of(), false);

    private final Rule rule;
    private final Set<Digest> blobs;
    private final Set<Digest> layers;
    private final boolean known;

    /**
     * @param blobs  the blobs the endpoint keeps, or for an engine the blobs it is known to have pulled
     * @param layers for an engine the diff IDs it holds ({@link Rule#LAYER_BY_LAYER}) or the chain IDs
     *               ({@link Rule#CHAIN_PREFIX}); empty for an endpoint that keeps blobs
     */
    private LocalLayers(Rule rule, Set<Digest> blobs, Set<Digest> layers, boolean known) {
        this.rule = rule;
        this.blobs = Set.copyOf(blobs);
        this.layers = Set.copyOf(layers);
        this.known = known;
    }

    /** Nothing known: no endpoint, or one that did not answer. */
    public static LocalLayers unknown() {
        return UNKNOWN;
    }

    /** False when the endpoint could not say; then no layer is marked. */
    public boolean known() {
        return known;
    }

    /**
     * What {@code store} would skip when pulling from {@code pulling}'s registry now; {@link #unknown()}
     * when it fails to answer. For an engine it reads (at most {@value #MAX_KNOWN_MANIFESTS}) manifests
     * of the engine's images from that registry through {@code registry}; a manifest it cannot read
     * teaches nothing. Blocks: call it off the FX thread.
     */
    public static LocalLayers of(ImageStore store, ImageReference pulling, RegistryBrowser registry,
                                 Cancellation cancellation) {
        List<LocalImage> images;
        List<String> repoDigests = new ArrayList<>();
        boolean keepsBlobs = store.capabilities().has(Capabilities.Capability.LAYER_BLOBS);
        try {
            images = store.localImages();
            if (!keepsBlobs) { // the listing's RepoDigests: on Podman, LocalImage leaves them out
                store.listImages().forEach(image -> repoDigests.addAll(image.repoDigests()));
            }
        } catch (GantryException e) {
            return unknown(); // the endpoint cannot say now; a summary stands without it
        }
        if (keepsBlobs) {
            Set<Digest> blobs = new HashSet<>();
            images.forEach(image -> image.storedLayers().forEach(layer -> layer.blob().ifPresent(blobs::add)));
            return new LocalLayers(Rule.BLOBS, blobs, Set.of(), true);
        }
        boolean docker = store.endpoint().kind() == Endpoint.Kind.DOCKER;
        Set<Digest> held = new HashSet<>();
        for (LocalImage image : images) {
            List<Digest> diffIds = image.layers().stream().map(ImageLayer::diffId).toList();
            held.addAll(docker ? ChainIds.of(diffIds) : diffIds);
        }
        Set<Digest> pulled = new HashSet<>();
        for (ImageReference manifest : pulledFrom(repoDigests, pulling)) {
            try {
                pulled.addAll(registry.layerBlobs(manifest, cancellation));
            } catch (GantryException e) {
                cancellation.throwIfCancelled("read the manifests " + store.endpoint().name() + " was pulled as");
                // deleted from the registry since, or unreadable: it teaches nothing
            }
        }
        return new LocalLayers(docker ? Rule.CHAIN_PREFIX : Rule.LAYER_BY_LAYER, pulled, held, true);
    }

    /**
     * The manifests in {@code pulling}'s registry that the engine's images were pulled or pushed as, those
     * of {@code pulling}'s own repository first.
     */
    static List<ImageReference> pulledFrom(List<String> repoDigests, ImageReference pulling) {
        Set<ImageReference> found = new LinkedHashSet<>();
        for (String repoDigest : repoDigests) {
            try {
                ImageReference reference = ImageReference.parse(repoDigest);
                if (reference.registry().equals(pulling.registry()) && reference.digest().isPresent()) {
                    found.add(reference);
                }
            } catch (InvalidReferenceException e) {
                // an engine's own odd name (Podman's <none>@…): not a manifest of this registry
            }
        }
        return found.stream()
                .sorted(Comparator.comparing((ImageReference r) -> !r.repository().equals(pulling.repository())))
                .limit(MAX_KNOWN_MANIFESTS)
                .toList();
    }

    /** {@code image}'s layers, base first, each marked when this endpoint's pull would skip it. */
    public List<RemoteImage.RemoteLayer> mark(RemoteImage.PlatformImage image) {
        List<Descriptor> blobList = image.manifest().layers();
        List<Digest> diffIds = image.config().diffIds();
        List<RemoteImage.RemoteLayer> marked = new ArrayList<>(blobList.size());
        List<Digest> chains = diffIds.size() == blobList.size() ? ChainIds.of(diffIds) : List.of();
        boolean prefix = true; // Docker: every layer so far is already there
        for (int i = 0; i < blobList.size(); i++) {
            Descriptor blob = blobList.get(i);
            Optional<Digest> diffId = i < diffIds.size() ? Optional.of(diffIds.get(i)) : Optional.empty();
            boolean local = known && switch (rule) {
                case BLOBS -> blobs.contains(blob.digest());
                case LAYER_BY_LAYER -> blobs.contains(blob.digest()) && diffId.filter(layers::contains).isPresent();
                case CHAIN_PREFIX -> prefix = prefix && i < chains.size() && blobs.contains(blob.digest())
                        && layers.contains(chains.get(i));
            };
            marked.add(new RemoteImage.RemoteLayer(blob, diffId, local));
        }
        return marked;
    }
}
