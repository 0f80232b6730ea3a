package io.gantry.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which images hold each layer, the one computation behind SHARED. In a layer store ({@link #of};
 * {@code docker system df -v}, moby's {@code daemon/images/images.go}) a layer is shared when more
 * than one image has its chain ID, the chain of layers from the base up to it; in a blob store
 * ({@link #ofBlobs}: the embedded store, containerd) when more than one image lists its blob. The
 * listings and the layer analysis ({@code SharedLayers}) count sharing here, so they cannot disagree.
 *
 * <p>Equal chain IDs are equal lists of diff IDs from the base up, so chains are numbered in a
 * prefix tree instead of hashed: the answer of {@link ChainIds} without a SHA-256 per layer.
 */
public final class ChainSharing {

    /** A chain: the chain below (numbered, -1 for none) and the diff ID on top. */
    private record Step(int parent, Digest diffId) {
    }

    private final Map<Digest, int[]> chains;
    private final List<List<Digest>> holders;

    private ChainSharing(Map<Digest, int[]> chains, List<List<Digest>> holders) {
        this.chains = chains;
        this.holders = holders;
    }

    /**
     * Numbers the chains of every image of one endpoint ({@code image ID -> diff IDs, base first});
     * every image of the endpoint must be given, each once. For a layer store (moby), where a layer is
     * its chain: the same diff ID on another stack is another layer.
     */
    public static ChainSharing of(Map<Digest, List<Digest>> diffIdsByImage) {
        return number(diffIdsByImage, true);
    }

    /**
     * For a blob store (an OCI image layout, containerd's content store), where a layer is its blob,
     * kept once however many images list it and wherever they list it: {@code image ID -> layer blob
     * digests, base first}, every image of the endpoint once. A layer is shared when another image
     * lists the same blob, so UNIQUE is what deleting the image alone frees; the same diff ID stored
     * as two blobs (pulled gzipped, copied uncompressed from an engine) is two layers.
     */
    public static ChainSharing ofBlobs(Map<Digest, List<Digest>> blobsByImage) {
        return number(blobsByImage, false);
    }

    private static ChainSharing number(Map<Digest, List<Digest>> layersByImage, boolean stacked) {
        Map<Step, Integer> numbers = new HashMap<>();
        List<List<Digest>> holders = new ArrayList<>();
        Map<Digest, int[]> chains = new LinkedHashMap<>();
        layersByImage.forEach((imageId, layers) -> {
            int[] chain = new int[layers.size()];
            int parent = -1;
            for (int i = 0; i < chain.length; i++) {
                Integer number = numbers.putIfAbsent(new Step(stacked ? parent : -1, layers.get(i)), numbers.size());
                if (number == null) {
                    number = numbers.size() - 1;
                    holders.add(new ArrayList<>(1));
                }
                chain[i] = number;
                List<Digest> holding = holders.get(number);
                if (holding.isEmpty() || !holding.get(holding.size() - 1).equals(imageId)) {
                    holding.add(imageId); // each prefix of one image is a distinct chain; a blob listed twice, one holder
                }
                parent = number;
            }
            chains.put(imageId, chain);
        });
        return new ChainSharing(chains, holders);
    }

    /** The images (in input order) whose layer stacks contain layer {@code layer} of {@code imageId}'s chain. */
    public List<Digest> holders(Digest imageId, int layer) {
        int[] chain = chains.get(imageId);
        if (chain == null || layer < 0 || layer >= chain.length) {
            return List.of();
        }
        return Collections.unmodifiableList(holders.get(chain[layer]));
    }

    /** Whether another image holds layer {@code layer} of {@code imageId}'s chain too. */
    public boolean shared(Digest imageId, int layer) {
        return holders(imageId, layer).size() > 1;
    }

    /**
     * Whether layer {@code layer} of {@code imageId} is one the image already lists lower down: in a
     * blob store, the same blob twice in one manifest (Docker's empty layer, a layer added twice) is
     * kept, and freed, once. Never true in a layer store, where each position is its own chain.
     */
    public boolean repeats(Digest imageId, int layer) {
        int[] chain = chains.get(imageId);
        if (chain == null || layer <= 0 || layer >= chain.length) {
            return false;
        }
        for (int i = 0; i < layer; i++) {
            if (chain[i] == chain[layer]) {
                return true;
            }
        }
        return false;
    }

    /** SIZE of {@code imageId}: its layers' sizes, {@code layerSizes} base first, each layer counted once. */
    public long size(Digest imageId, List<Long> layerSizes) {
        long size = 0;
        for (int i = 0; i < layerSizes.size(); i++) {
            if (!repeats(imageId, i)) {
                size += layerSizes.get(i);
            }
        }
        return size;
    }

    /**
     * SHARED of {@code imageId}: the sizes of its shared layers, {@code layerSizes} base first, each
     * counted once, so that {@link #size} minus SHARED (UNIQUE) is what deleting the image alone frees.
     */
    public long sharedSize(Digest imageId, List<Long> layerSizes) {
        long shared = 0;
        for (int i = 0; i < layerSizes.size(); i++) {
            if (shared(imageId, i) && !repeats(imageId, i)) {
                shared += layerSizes.get(i);
            }
        }
        return shared;
    }
}
