package io.gantry.engine.cluster;

import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.engine.cluster.ClusterNode.NodeImage;
import io.gantry.engine.cluster.ClusterPod.PodImage;
import java.util.Optional;

/**
 * The kubelet's image pull rules, as pure code (Kubernetes documentation, "Images": image pull
 * policy; {@code SetDefaults_Container} and {@code SetDefaults_ImageVolumeSource}):
 *
 * <ul>
 *   <li>A policy left out is set when the object is created: {@code Always} when the tag is
 *       {@code latest} or there is no tag (no tag means {@code latest}), {@code IfNotPresent}
 *       otherwise; an image named by digest alone has no tag, so {@code IfNotPresent}, while
 *       {@code name:latest@sha256:…} is {@code Always}. Image volumes follow the same rule.</li>
 *   <li>On a node: {@code Always} asks the registry at every container start (layers the node
 *       has are not downloaded again); {@code IfNotPresent} uses the node's copy when it has one and
 *       pulls otherwise; {@code Never} uses the node's copy and fails with
 *       {@code ErrImageNeverPull} without one. A name the kubelet cannot parse fails with
 *       {@code InvalidImageName}.</li>
 *   <li>Whether a node holds the image is read from {@code node.status.images}, which lists at most
 *       the 50 largest images by default: an image missing from a full list is "not known".</li>
 * </ul>
 */
public final class KubeletPullRules {

    private KubeletPullRules() {
    }

    /** Whether a node holds an image, as far as its status tells. */
    public enum Presence {
        /** The node lists the image. */
        PRESENT,
        /** The node's list is not full and does not name the image. */
        ABSENT,
        /** The node lists as many images as the kubelet reports (50 by default), and not this one. */
        NOT_LISTED,
        /** No node to look at (the pod is not scheduled, or a manifest was given without a node). */
        NO_NODE
    }

    /** What the kubelet does for one image. */
    public enum Action {
        PULL("pull"),
        USE_CACHED("use the node's copy"),
        /** {@code IfNotPresent} where the node's status cannot tell. */
        PULL_IF_MISSING("pull unless the node has it"),
        FAIL_NEVER_PULL("fail: ErrImageNeverPull"),
        /** {@code Never} where the node's status cannot tell. */
        FAIL_IF_MISSING("use the node's copy, or fail: ErrImageNeverPull"),
        FAIL_INVALID_NAME("fail: InvalidImageName");

        private final String label;

        Action(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * The decision for one image of a pod: the effective policy, whether it was defaulted (and
     * why), whether the node holds the image, what the kubelet does and a sentence saying why.
     */
    public record PullDecision(PodImage image, Optional<PullPolicy> policy, boolean defaulted, Presence presence,
                               Action action, String reason) {

        /** The policy as shown: {@code IfNotPresent}, {@code Always (default)}, or {@code -} for an invalid name. */
        public String policyLabel() {
            return policy.map(Object::toString).orElse("-") + (defaulted ? " (default)" : "");
        }
    }

    /**
     * The policy an API server sets when the author leaves it out.
     *
     * @throws GantryException {@code INVALID_INPUT} when {@code image} is no valid reference
     */
    public static PullPolicy defaultPolicy(String image) {
        return defaultPolicy(ImageReference.parse(image.trim()));
    }

    private static PullPolicy defaultPolicy(ImageReference reference) {
        // ImageReference.parse adds "latest" only when there is neither tag nor digest, as the kubelet's parser
        return reference.tag().filter(ImageReference.DEFAULT_TAG::equals).isPresent() ? PullPolicy.ALWAYS
                : PullPolicy.IF_NOT_PRESENT;
    }

    /** The policy in force: the one written, else the default. */
    public static PullPolicy effectivePolicy(PodImage image) {
        return image.policy().orElseGet(() -> defaultPolicy(image.image()));
    }

    /** Whether {@code node} (empty: none chosen) holds {@code reference}, from its reported images. */
    public static Presence presence(ImageReference reference, Optional<ClusterNode> node) {
        if (node.isEmpty()) {
            return Presence.NO_NODE;
        }
        for (NodeImage held : node.get().images()) {
            if (held.names().stream().anyMatch(name -> sameImage(reference, name))) {
                return Presence.PRESENT;
            }
        }
        return node.get().imageListMayBeCut() ? Presence.NOT_LISTED : Presence.ABSENT;
    }

    /**
     * Whether a node's image name names {@code reference}: by digest when the reference has one
     * (the runtime resolves {@code name:tag@digest} by its digest), else by tag.
     */
    static boolean sameImage(ImageReference reference, String nodeName) {
        Optional<ImageReference> held = parseQuietly(nodeName);
        if (held.isEmpty() || !held.get().name().equals(reference.name())) {
            return false;
        }
        if (reference.digest().isPresent()) {
            return reference.digest().equals(held.get().digest());
        }
        return held.get().digest().isEmpty() && reference.tag().equals(held.get().tag());
    }

    static Optional<ImageReference> parseQuietly(String name) {
        try {
            return Optional.of(ImageReference.parse(name.trim()));
        } catch (GantryException e) {
            return Optional.empty();
        }
    }

    /** What the kubelet does for {@code image} on {@code node} (empty: no node known), and why. */
    public static PullDecision decide(PodImage image, Optional<ClusterNode> node) {
        Optional<ImageReference> parsed = parseQuietly(image.image());
        if (parsed.isEmpty()) {
            return new PullDecision(image, image.policy(), false, Presence.NO_NODE, Action.FAIL_INVALID_NAME,
                    "'" + image.image() + "' is no valid image reference; the kubelet reports InvalidImageName");
        }
        ImageReference reference = parsed.get();
        boolean defaulted = image.policy().isEmpty();
        PullPolicy policy = image.policy().orElseGet(() -> defaultPolicy(reference));
        Presence presence = presence(reference, node);
        String nodeName = node.map(ClusterNode::name).orElse("");
        String because = policy + (defaulted ? " (the default for " + defaultReason(image.image()) + ")" : "");
        String said = node.flatMap(ClusterNode::imagesFromCri).isPresent() ? " (its CRI says)" : "";
        String where = switch (presence) {
            case PRESENT -> "node " + nodeName + " holds " + reference.familiar() + said;
            case ABSENT -> "node " + nodeName + " does not hold " + reference.familiar() + said;
            case NOT_LISTED -> "node " + nodeName + " lists only the " + ClusterNode.REPORTED_IMAGES_CAP
                    + " largest images it holds, and not " + reference.familiar();
            case NO_NODE -> "no node chosen";
        };
        return switch (policy) {
            case ALWAYS -> new PullDecision(image, Optional.of(policy), defaulted, presence, Action.PULL, because
                    + ": the kubelet asks the registry at every container start" + (presence == Presence.PRESENT
                    ? " (" + where + ": only layers it lacks are downloaded)" : "; " + where));
            case IF_NOT_PRESENT -> new PullDecision(image, Optional.of(policy), defaulted, presence, switch (presence) {
                case PRESENT -> Action.USE_CACHED;
                case ABSENT -> Action.PULL;
                case NOT_LISTED, NO_NODE -> Action.PULL_IF_MISSING;
            }, because + "; " + where);
            case NEVER -> new PullDecision(image, Optional.of(policy), defaulted, presence, switch (presence) {
                case PRESENT -> Action.USE_CACHED;
                case ABSENT -> Action.FAIL_NEVER_PULL;
                case NOT_LISTED, NO_NODE -> Action.FAIL_IF_MISSING;
            }, because + "; " + where + (presence == Presence.PRESENT ? ""
                    : ": put the image on the node first (gantry cp into its k8s.io namespace) or allow a pull"));
        };
    }

    /** Why the default is what it is, in the words of the documentation's cases. */
    private static String defaultReason(String image) {
        String written = image.trim();
        int at = written.indexOf('@');
        String beforeDigest = at < 0 ? written : written.substring(0, at);
        int colon = beforeDigest.lastIndexOf(':');
        boolean tagWritten = colon > beforeDigest.lastIndexOf('/');
        if (!tagWritten) {
            return at < 0 ? "an image without a tag, which means latest" : "an image by digest";
        }
        String tag = beforeDigest.substring(colon + 1);
        return "the tag " + tag;
    }
}
