package io.gantry.service;

import io.gantry.core.GantryException;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.engine.ImageStore;
import io.gantry.engine.NodeImageCache;
import io.gantry.engine.cluster.ClusterNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes node's own CRI, where Gantry can reach it: then the node's images come from the CRI
 * ({@code ImageService/ListImages}: every image, with its digests) instead of {@code node.status.images}
 * (at most the 50 largest), and a pre-pull can go straight through it.
 *
 * <p>The rule, {@link #RULE}: a containerd endpoint is a node's CRI when
 * <ul>
 *   <li>its socket is on this machine (a {@code unix://} address) and its CRI plugin answers,</li>
 *   <li>the node's name is this machine's host name (the kubelet names its node after the host unless
 *       told otherwise; case does not matter, and a short name matches its long form), and</li>
 *   <li>when the node reports its runtime as {@code containerd://VERSION}, the endpoint's containerd
 *       is that version.</li>
 * </ul>
 * When no endpoint or more than one fits, the node keeps {@code node.status.images}: Gantry does not
 * guess. A CRI that fails to answer leaves the node's reported images too.
 *
 * <p>The endpoints are opened on first use and closed with this.
 */
public final class NodeCris implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeCris.class);

    /** The rule, in the words the CLI and the window show. */
    public static final String RULE = "a node's images come from its own CRI when a containerd socket on this machine "
            + "answers as a CRI, the node's name is this machine's host name, and the node's containerd version "
            + "(if it reports one) is that containerd's; otherwise from node.status.images";

    /** A node's CRI: the endpoint, and its image cache as read when it was matched. */
    public record NodeCri(ImageStore store, NodeImageCache cache) {
        public NodeCri {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(cache, "cache");
        }

        /** The endpoint's name, as the views show it. */
        public String name() {
            return store.endpoint().name();
        }
    }

    private final Supplier<List<ImageStore>> open;
    private final String hostName;
    private List<ImageStore> endpoints;

    /**
     * @param open     opens the containerd endpoints Gantry knows (called once, on first use)
     * @param hostName this machine's host name ({@link #thisHostName()}); blank: no node is this machine
     */
    public NodeCris(Supplier<List<ImageStore>> open, String hostName) {
        this.open = Objects.requireNonNull(open, "open");
        this.hostName = Objects.requireNonNull(hostName, "hostName").trim();
    }

    /** No CRI at all: every node keeps {@code node.status.images}. */
    public static NodeCris none() {
        return new NodeCris(List::of, "");
    }

    /**
     * This machine's host name, as the kernel has it ({@code /proc/sys/kernel/hostname}, else
     * {@code /etc/hostname}); empty when neither says. No name lookup.
     */
    public static String thisHostName() {
        for (String file : List.of("/proc/sys/kernel/hostname", "/etc/hostname")) {
            try {
                Path path = Path.of(file);
                if (Files.isReadable(path) && Files.size(path) < 1024) {
                    String name = Files.readString(path, StandardCharsets.UTF_8).trim();
                    if (!name.isEmpty()) {
                        return name;
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("no host name from {}: {}", file, e.toString());
            }
        }
        return "";
    }

    /** Whether a node named {@code node} is the host {@code host}: equal ignoring case, or equal short names. */
    static boolean sameHost(String node, String host) {
        if (node.isBlank() || host.isBlank()) {
            return false;
        }
        String a = node.toLowerCase(Locale.ROOT);
        String b = host.toLowerCase(Locale.ROOT);
        if (a.equals(b)) {
            return true;
        }
        boolean aShort = !a.contains(".");
        boolean bShort = !b.contains(".");
        return aShort != bShort && (aShort ? b.startsWith(a + ".") : a.startsWith(b + "."));
    }

    /** The node's CRI by {@link #RULE}, with its image cache; empty when none or several fit. Asks the endpoints. */
    public synchronized Optional<NodeCri> find(ClusterNode node) {
        if (!sameHost(node.name(), hostName)) {
            return Optional.empty();
        }
        Optional<String> runtimeVersion = node.containerRuntime()
                .filter(r -> r.startsWith("containerd://")).map(r -> r.substring("containerd://".length()));
        List<NodeCri> fitting = new ArrayList<>();
        for (ImageStore store : endpoints()) {
            try {
                if (runtimeVersion.isPresent() && !sameVersion(runtimeVersion.get(), store.info().version())) {
                    continue;
                }
                fitting.add(new NodeCri(store, store.nodeImageCache()));
            } catch (GantryException e) {
                LOG.debug("{} is not node {}'s CRI: {}", store.endpoint().address(), node.name(), e.describe());
            }
        }
        if (fitting.size() > 1) {
            LOG.info("{} CRI endpoints on this machine fit node {}; its images stay node.status.images", fitting.size(),
                    node.name());
        }
        return fitting.size() == 1 ? Optional.of(fitting.get(0)) : Optional.empty();
    }

    /**
     * {@code nodes}, each one whose CRI Gantry reaches ({@link #find}) with the CRI's images instead of
     * {@code node.status.images}; the others as they are.
     */
    public List<ClusterNode> preferCri(List<ClusterNode> nodes) {
        List<ClusterNode> result = new ArrayList<>(nodes.size());
        for (ClusterNode node : nodes) {
            result.add(find(node).map(cri -> node.withCriImages(cri.name(), images(cri.cache()))).orElse(node));
        }
        return result;
    }

    /** The CRI's images as a node lists them: tags and digests as names, and the size. */
    static List<ClusterNode.NodeImage> images(NodeImageCache cache) {
        List<ClusterNode.NodeImage> images = new ArrayList<>();
        for (NodeImageCache.NodeImage image : cache.images()) {
            List<String> names = new ArrayList<>(image.repoTags());
            names.addAll(image.repoDigests());
            images.add(new ClusterNode.NodeImage(names, image.size()));
        }
        images.sort((a, b) -> Long.compare(b.sizeBytes(), a.sizeBytes())); // largest first, as the kubelet lists
        return images;
    }

    private static boolean sameVersion(String reported, String endpoint) {
        return strip(reported).equals(strip(endpoint));
    }

    private static String strip(String version) {
        String v = version.trim();
        return v.startsWith("v") ? v.substring(1) : v;
    }

    /** The containerd endpoints on this machine with a CRI (by capability), one per socket. */
    private List<ImageStore> endpoints() {
        if (endpoints == null) {
            Map<String, ImageStore> bySocket = new LinkedHashMap<>();
            for (ImageStore store : open.get()) {
                boolean local = store.endpoint().address().startsWith("unix://");
                if (local && store.capabilities().has(Capability.NODE_IMAGES)
                        && !bySocket.containsKey(store.endpoint().address())) {
                    bySocket.put(store.endpoint().address(), store);
                } else {
                    closeQuietly(store);
                }
            }
            endpoints = List.copyOf(bySocket.values());
        }
        return endpoints;
    }

    @Override
    public synchronized void close() {
        if (endpoints != null) {
            endpoints.forEach(NodeCris::closeQuietly);
        }
    }

    private static void closeQuietly(ImageStore store) {
        try {
            store.close();
        } catch (Exception e) {
            LOG.debug("closing {}: {}", store.endpoint().address(), e.toString());
        }
    }
}
