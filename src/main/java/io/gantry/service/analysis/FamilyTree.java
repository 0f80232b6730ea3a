package io.gantry.service.analysis;

import io.gantry.engine.ImageLayer;

import io.gantry.core.ChainIds;
import io.gantry.core.Digest;
import io.gantry.service.ImageTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * All images of an endpoint as a tree of common layer chains, like {@code dockviz images -t} or the
 * old {@code docker images --tree}, but exact: nodes are chain IDs (see {@link ChainIds}), so two
 * images hang under the same node exactly when their layers are identical up to that point.
 *
 * <p>The roots are the distinct base layers. A node's {@linkplain Node#ownSize() own size} is its
 * layer's size; its {@linkplain Node#stackSize() stack size} adds everything below it. Images "end"
 * at the node of their top layer (several may end at one node: same layers, different config);
 * images with no layers at all are listed apart in {@link #layerlessImages()}.
 *
 * <p>Selecting an image in the GUI highlights {@link #lineage(Digest)}: its chain of nodes and every
 * other image that shares part of it.
 */
public final class FamilyTree {

    /** One layer chain: a layer on top of a specific stack of layers. Immutable. */
    public static final class Node {
        private final Digest chainId;
        private final ImageLayer layer;
        private final int depth;
        private final long stackSize;
        private final List<ImageLayers> images;
        private final List<Node> children;

        private Node(Digest chainId, ImageLayer layer, int depth, long stackSize, List<ImageLayers> images,
                     List<Node> children) {
            this.chainId = chainId;
            this.layer = layer;
            this.depth = depth;
            this.stackSize = stackSize;
            this.images = List.copyOf(images);
            this.children = List.copyOf(children);
        }

        public Digest chainId() {
            return chainId;
        }

        /** The layer this node adds (as the first image listing it described it). */
        public ImageLayer layer() {
            return layer;
        }

        /** 0 for a base layer. */
        public int depth() {
            return depth;
        }

        /** This layer's own size. */
        public long ownSize() {
            return layer.size();
        }

        /** The size of the stack up to and including this layer (an image ending here has this SIZE). */
        public long stackSize() {
            return stackSize;
        }

        /** Images whose top layer is this node. */
        public List<ImageLayers> images() {
            return images;
        }

        /** Layer chains built on this one, in the order the images were given. */
        public List<Node> children() {
            return children;
        }

        /** Images that end here or below: every image that uses this chain. */
        public List<ImageLayers> imagesInSubtree() {
            List<ImageLayers> all = new ArrayList<>();
            collect(this, all);
            return all;
        }

        /** Whether images branch off here: more than one child, or an image ending here and a child. */
        public boolean isBranchPoint() {
            return children.size() + (images.isEmpty() ? 0 : 1) > 1;
        }

        private static void collect(Node node, List<ImageLayers> into) {
            into.addAll(node.images);
            node.children.forEach(child -> collect(child, into));
        }

        @Override
        public String toString() {
            return "Node[" + chainId.shortHex() + " depth=" + depth + " images=" + images.size()
                    + " children=" + children.size() + "]";
        }
    }

    /**
     * What to highlight when an image is selected.
     *
     * @param image   the selected image
     * @param chain   its nodes from base layer to top layer
     * @param related every other image sharing at least its base layer, most layers in common first
     */
    public record Lineage(ImageLayers image, List<Node> chain, List<Relative> related) {
        public Lineage {
            chain = List.copyOf(chain);
            related = List.copyOf(related);
        }

        /** Chain IDs of the selected image's nodes, for quick membership tests while painting. */
        public Set<Digest> chainIds() {
            Set<Digest> ids = new HashSet<>();
            chain.forEach(node -> ids.add(node.chainId()));
            return ids;
        }
    }

    /**
     * Another image and how much of the selected image's chain it shares.
     *
     * @param image        the other image
     * @param commonLayers how many layers, from the base up, the two images have in common
     * @param commonSize   the size of those common layers
     */
    public record Relative(ImageLayers image, int commonLayers, long commonSize) {
    }

    private final List<Node> roots;
    private final List<ImageLayers> layerless;
    private final Map<Digest, Node> nodesByChainId;
    private final Map<Digest, List<Node>> chainByImage;

    private FamilyTree(List<Node> roots, List<ImageLayers> layerless, Map<Digest, Node> nodesByChainId,
                       Map<Digest, List<Node>> chainByImage) {
        this.roots = List.copyOf(roots);
        this.layerless = List.copyOf(layerless);
        this.nodesByChainId = nodesByChainId;
        this.chainByImage = chainByImage;
    }

    /** Builds the tree of {@code images} (duplicates by image ID count once). */
    public static FamilyTree of(List<ImageLayers> images) {
        Builder root = new Builder(null, null, -1, 0);
        Map<Digest, Builder> builders = new LinkedHashMap<>();
        Map<Digest, ImageLayers> unique = new LinkedHashMap<>();
        images.forEach(image -> unique.putIfAbsent(image.imageId(), image));
        List<ImageLayers> layerless = new ArrayList<>();
        for (ImageLayers image : unique.values()) {
            if (image.layers().isEmpty()) {
                layerless.add(image);
                continue;
            }
            List<Digest> chainIds = image.chainIds();
            Builder at = root;
            for (int i = 0; i < chainIds.size(); i++) {
                Builder parent = at;
                ImageLayer layer = image.layers().get(i);
                at = builders.computeIfAbsent(chainIds.get(i),
                        id -> parent.child(new Builder(id, layer, parent.depth + 1, parent.stackSize + layer.size())));
            }
            at.images.add(image);
        }
        Map<Digest, Node> nodes = new LinkedHashMap<>();
        List<Node> roots = new ArrayList<>();
        root.children.forEach(child -> roots.add(child.build(nodes)));
        Map<Digest, List<Node>> chains = new LinkedHashMap<>();
        for (ImageLayers image : unique.values()) {
            chains.put(image.imageId(), image.chainIds().stream().map(nodes::get).toList());
        }
        return new FamilyTree(roots, layerless, nodes, chains);
    }

    /** The distinct base layers. */
    public List<Node> roots() {
        return roots;
    }

    /** Images without any layer (e.g. {@code FROM scratch} with only metadata). */
    public List<ImageLayers> layerlessImages() {
        return layerless;
    }

    public Optional<Node> node(Digest chainId) {
        return Optional.ofNullable(nodesByChainId.get(chainId));
    }

    /** Number of distinct layer chains. */
    public int nodeCount() {
        return nodesByChainId.size();
    }

    /** Sum of the own sizes of all nodes: the disk the layers take, each chain counted once. */
    public long totalSize() {
        return nodesByChainId.values().stream().mapToLong(Node::ownSize).sum();
    }

    /** The selected image's chain and its relatives; empty for an image not in the tree. */
    public Optional<Lineage> lineage(Digest imageId) {
        List<Node> chain = chainByImage.get(imageId);
        if (chain == null) {
            return Optional.empty();
        }
        ImageLayers image = null;
        List<Relative> related = new ArrayList<>();
        if (chain.isEmpty()) {
            image = layerless.stream().filter(i -> i.imageId().equals(imageId)).findFirst().orElseThrow();
            return Optional.of(new Lineage(image, chain, related));
        }
        Map<Digest, Integer> depthOnChain = new LinkedHashMap<>();
        for (int i = 0; i < chain.size(); i++) {
            depthOnChain.put(chain.get(i).chainId(), i);
        }
        for (ImageLayers other : chain.get(0).imagesInSubtree()) {
            if (other.imageId().equals(imageId)) {
                image = other;
                continue;
            }
            int common = 0;
            for (Node node : chainByImage.get(other.imageId())) {
                if (!depthOnChain.containsKey(node.chainId())) {
                    break;
                }
                common++;
            }
            related.add(new Relative(other, common, chain.get(common - 1).stackSize()));
        }
        related.sort(Comparator.comparingInt(Relative::commonLayers).reversed());
        return Optional.of(new Lineage(image, chain, related));
    }

    /**
     * The tree as text, one node per line, like {@code dockviz images -t}:
     * <pre>
     * ├─3f2a1b8c9d0e 7.8MB (stack 7.8MB)
     * │ └─9c1d2e3f4a5b 1.2MB (stack 9MB) Tags: app:1
     * └─...
     * </pre>
     */
    public String render() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < roots.size(); i++) {
            render(roots.get(i), "", i == roots.size() - 1, out);
        }
        layerless.forEach(image -> out.append("(no layers) ").append(names(image)).append('\n'));
        return out.toString();
    }

    private static void render(Node node, String indent, boolean last, StringBuilder out) {
        out.append(indent).append(last ? "└─" : "├─").append(node.chainId.shortHex()).append(' ')
                .append(ImageTable.humanSize(node.ownSize())).append(" (stack ")
                .append(ImageTable.humanSize(node.stackSize())).append(')');
        if (!node.images.isEmpty()) {
            out.append(" Tags: ");
            List<String> names = new ArrayList<>();
            node.images.forEach(image -> names.add(names(image)));
            out.append(String.join(", ", names));
        }
        out.append('\n');
        String childIndent = indent + (last ? "  " : "│ ");
        for (int i = 0; i < node.children.size(); i++) {
            render(node.children.get(i), childIndent, i == node.children.size() - 1, out);
        }
    }

    private static String names(ImageLayers image) {
        return image.tags().isEmpty() ? "<none>:<none> " + image.imageId().shortHex() : String.join(", ", image.tags());
    }

    /** Mutable node used while building; frozen into {@link Node}. */
    private static final class Builder {
        final Digest chainId;
        final ImageLayer layer;
        final int depth;
        final long stackSize;
        final List<ImageLayers> images = new ArrayList<>();
        final List<Builder> children = new ArrayList<>();

        Builder(Digest chainId, ImageLayer layer, int depth, long stackSize) {
            this.chainId = chainId;
            this.layer = layer;
            this.depth = depth;
            this.stackSize = stackSize;
        }

        Builder child(Builder child) {
            children.add(child);
            return child;
        }

        Node build(Map<Digest, Node> index) {
            List<Node> built = new ArrayList<>();
            children.forEach(child -> built.add(child.build(index)));
            Node node = new Node(chainId, layer, depth, stackSize, images, built);
            index.put(chainId, node);
            return node;
        }
    }
}
