package io.gantry.engine.cluster;

import io.gantry.core.ImageReference;
import io.gantry.engine.cluster.ClusterNode.NodeImage;
import io.gantry.engine.cluster.ClusterPod.PodImage;
import io.gantry.engine.cluster.KubeletPullRules.PullDecision;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where an image lives in a cluster: the nodes that hold it (from {@code node.status.images}; a
 * node whose list is full may hold it unlisted) and the pods that use it, each with the kubelet's
 * decision on the pod's node. An image named by tag also matches pods that name it by a digest a
 * node lists for the same image.
 */
public record ImageWhereabouts(ImageReference image, List<NodeHolding> nodes, List<PodUse> pods) {

    public ImageWhereabouts {
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
    }

    /** One node: the entry naming the image, if it lists one; {@code NOT_LISTED} when its list is full. */
    public record NodeHolding(ClusterNode node, KubeletPullRules.Presence presence, Optional<NodeImage> entry) {
    }

    /** One image of one pod that is the image looked for, with what the kubelet does for it. */
    public record PodUse(ClusterPod pod, PodImage image, PullDecision decision) {
    }

    /** Looks {@code image} up among {@code nodes} and {@code pods}. */
    public static ImageWhereabouts find(ImageReference image, List<ClusterNode> nodes, List<ClusterPod> pods) {
        List<NodeHolding> holdings = new ArrayList<>();
        Set<String> aliases = new LinkedHashSet<>();
        aliases.add(image.toString());
        for (ClusterNode node : nodes) {
            Optional<NodeImage> entry = node.images().stream()
                    .filter(held -> held.names().stream().anyMatch(name -> KubeletPullRules.sameImage(image, name)))
                    .findFirst();
            entry.ifPresent(held -> held.names().stream().map(KubeletPullRules::parseQuietly).flatMap(Optional::stream)
                    .filter(ref -> ref.name().equals(image.name())).forEach(ref -> aliases.add(ref.toString())));
            holdings.add(new NodeHolding(node, KubeletPullRules.presence(image, Optional.of(node)), entry));
        }
        Map<String, ClusterNode> byName = nodes.stream().collect(Collectors.toMap(ClusterNode::name,
                Function.identity(), (a, b) -> a));
        List<PodUse> uses = new ArrayList<>();
        for (ClusterPod pod : pods) {
            Optional<ClusterNode> node = pod.nodeName().map(byName::get);
            for (PodImage podImage : pod.images()) {
                Optional<ImageReference> used = KubeletPullRules.parseQuietly(podImage.image());
                if (used.isPresent() && matches(used.get(), aliases)) {
                    uses.add(new PodUse(pod, podImage, KubeletPullRules.decide(podImage, node)));
                }
            }
        }
        return new ImageWhereabouts(image, holdings, uses);
    }

    private static boolean matches(ImageReference used, Set<String> aliases) {
        for (String alias : aliases) {
            ImageReference known = ImageReference.parse(alias);
            if (!known.name().equals(used.name())) {
                continue;
            }
            if (used.digest().isPresent() ? used.digest().equals(known.digest())
                    : known.digest().isEmpty() && used.tag().equals(known.tag())) {
                return true;
            }
        }
        return false;
    }

    /** The nodes that list the image. */
    public List<NodeHolding> holding() {
        return nodes.stream().filter(n -> n.presence() == KubeletPullRules.Presence.PRESENT).toList();
    }
}
