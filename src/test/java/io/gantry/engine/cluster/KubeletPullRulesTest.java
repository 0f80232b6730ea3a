package io.gantry.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.cluster.ClusterNode.NodeImage;
import io.gantry.engine.cluster.ClusterPod.Kind;
import io.gantry.engine.cluster.ClusterPod.PodImage;
import io.gantry.engine.cluster.KubeletPullRules.Action;
import io.gantry.engine.cluster.KubeletPullRules.Presence;
import io.gantry.engine.cluster.KubeletPullRules.PullDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The kubelet's pull rules against the cases of the Kubernetes documentation ("Images": image pull
 * policy, "Default image pull policy", image volumes) and the kubelet's parser (a digest-only
 * reference has no tag).
 */
class KubeletPullRulesTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void theDefaultPolicyFollowsTheDocumentedCases() {
        // "you omit the imagePullPolicy field, and you specify the digest" -> IfNotPresent
        assertThat(KubeletPullRules.defaultPolicy("nginx@" + DIGEST)).isEqualTo(PullPolicy.IF_NOT_PRESENT);
        // "... and the tag for the container image is :latest" -> Always
        assertThat(KubeletPullRules.defaultPolicy("nginx:latest")).isEqualTo(PullPolicy.ALWAYS);
        // "... and you don't specify the tag" -> Always
        assertThat(KubeletPullRules.defaultPolicy("nginx")).isEqualTo(PullPolicy.ALWAYS);
        assertThat(KubeletPullRules.defaultPolicy("registry.example.com:5000/team/app")).isEqualTo(PullPolicy.ALWAYS);
        // "... and you specify a tag that isn't :latest" -> IfNotPresent
        assertThat(KubeletPullRules.defaultPolicy("nginx:1.27")).isEqualTo(PullPolicy.IF_NOT_PRESENT);
        assertThat(KubeletPullRules.defaultPolicy("registry.example.com:5000/team/app:v2"))
                .isEqualTo(PullPolicy.IF_NOT_PRESENT);
        // the kubelet's parser keeps a written latest beside a digest: Always
        assertThat(KubeletPullRules.defaultPolicy("nginx:latest@" + DIGEST)).isEqualTo(PullPolicy.ALWAYS);
        assertThat(KubeletPullRules.defaultPolicy("nginx:1.27@" + DIGEST)).isEqualTo(PullPolicy.IF_NOT_PRESENT);
    }

    @Test
    void aPolicyWrittenIsKeptAndAnUnknownOneIsNone() {
        PodImage written = image("nginx:latest", Optional.of(PullPolicy.NEVER));
        assertThat(KubeletPullRules.effectivePolicy(written)).isEqualTo(PullPolicy.NEVER);
        assertThat(PullPolicy.parse("IfNotPresent")).contains(PullPolicy.IF_NOT_PRESENT);
        assertThat(PullPolicy.parse("ifnotpresent")).isEmpty();
        assertThat(PullPolicy.parse("")).isEmpty();
        assertThat(PullPolicy.parse(null)).isEmpty();
        assertThat(PullPolicy.ALWAYS).hasToString("Always");
    }

    @Test
    void anInvalidReferenceHasNoDefaultAndFailsAsInvalidImageName() {
        assertThatThrownBy(() -> KubeletPullRules.defaultPolicy("Nginx:1"))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        PullDecision decision = KubeletPullRules.decide(image("Nginx:1", Optional.empty()), Optional.empty());
        assertThat(decision.action()).isEqualTo(Action.FAIL_INVALID_NAME);
        assertThat(decision.reason()).contains("InvalidImageName");
    }

    @Test
    void ifNotPresentUsesTheNodesCopyAndPullsWithoutOne() {
        ClusterNode node = node("n1", List.of(new NodeImage(List.of("docker.io/library/nginx:1.27",
                "docker.io/library/nginx@" + DIGEST), 70_000_000)));
        PullDecision cached = KubeletPullRules.decide(image("nginx:1.27", Optional.empty()), Optional.of(node));
        assertThat(cached.action()).isEqualTo(Action.USE_CACHED);
        assertThat(cached.defaulted()).isTrue();
        assertThat(cached.policy()).contains(PullPolicy.IF_NOT_PRESENT);
        assertThat(cached.presence()).isEqualTo(Presence.PRESENT);
        assertThat(cached.reason()).contains("IfNotPresent (the default for the tag 1.27)").contains("node n1 holds");

        PullDecision missing = KubeletPullRules.decide(image("nginx:1.28", Optional.empty()), Optional.of(node));
        assertThat(missing.action()).isEqualTo(Action.PULL);
        assertThat(missing.presence()).isEqualTo(Presence.ABSENT);

        // by digest: the node's repo digest counts, whatever tag it carries
        PullDecision byDigest = KubeletPullRules.decide(image("nginx@" + DIGEST, Optional.empty()), Optional.of(node));
        assertThat(byDigest.action()).isEqualTo(Action.USE_CACHED);
        assertThat(byDigest.reason()).contains("the default for an image by digest");
    }

    @Test
    void alwaysPullsEvenWhenTheNodeHoldsTheImage() {
        ClusterNode node = node("n1", List.of(new NodeImage(List.of("docker.io/library/nginx:latest"), 1)));
        PullDecision decision = KubeletPullRules.decide(image("nginx", Optional.empty()), Optional.of(node));
        assertThat(decision.action()).isEqualTo(Action.PULL);
        assertThat(decision.policy()).contains(PullPolicy.ALWAYS);
        assertThat(decision.reason()).contains("the default for an image without a tag, which means latest")
                .contains("only layers it lacks are downloaded");
        PullDecision written = KubeletPullRules.decide(image("nginx:1.27", Optional.of(PullPolicy.ALWAYS)),
                Optional.of(node));
        assertThat(written.action()).isEqualTo(Action.PULL);
        assertThat(written.defaulted()).isFalse();
    }

    @Test
    void neverFailsWithErrImageNeverPullWhenTheNodeLacksTheImage() {
        ClusterNode node = node("n1", List.of(new NodeImage(List.of("docker.io/library/busybox:1.36"), 1)));
        PullDecision present = KubeletPullRules.decide(image("busybox:1.36", Optional.of(PullPolicy.NEVER)),
                Optional.of(node));
        assertThat(present.action()).isEqualTo(Action.USE_CACHED);
        PullDecision absent = KubeletPullRules.decide(image("busybox:1.37", Optional.of(PullPolicy.NEVER)),
                Optional.of(node));
        assertThat(absent.action()).isEqualTo(Action.FAIL_NEVER_PULL);
        assertThat(absent.action().toString()).contains("ErrImageNeverPull");
        // a repository in another registry is another image
        PullDecision otherRegistry = KubeletPullRules.decide(image("localhost:5000/busybox:1.36",
                Optional.of(PullPolicy.NEVER)), Optional.of(node));
        assertThat(otherRegistry.action()).isEqualTo(Action.FAIL_NEVER_PULL);
    }

    @Test
    void aFullImageListOrNoNodeCannotTellSoTheDecisionSaysSo() {
        List<NodeImage> fifty = new ArrayList<>();
        for (int i = 0; i < ClusterNode.REPORTED_IMAGES_CAP; i++) {
            fifty.add(new NodeImage(List.of("registry.example.com/app" + i + ":1"), 1000 - i));
        }
        ClusterNode full = node("big", fifty);
        assertThat(full.imageListMayBeCut()).isTrue();
        PullDecision unlisted = KubeletPullRules.decide(image("nginx:1.27", Optional.empty()), Optional.of(full));
        assertThat(unlisted.presence()).isEqualTo(Presence.NOT_LISTED);
        assertThat(unlisted.action()).isEqualTo(Action.PULL_IF_MISSING);
        assertThat(unlisted.reason()).contains("50 largest");
        PullDecision never = KubeletPullRules.decide(image("nginx:1.27", Optional.of(PullPolicy.NEVER)), Optional.of(full));
        assertThat(never.action()).isEqualTo(Action.FAIL_IF_MISSING);

        PullDecision noNode = KubeletPullRules.decide(image("nginx:1.27", Optional.empty()), Optional.empty());
        assertThat(noNode.presence()).isEqualTo(Presence.NO_NODE);
        assertThat(noNode.action()).isEqualTo(Action.PULL_IF_MISSING);
    }

    @Test
    void imageVolumesFollowTheSameDefaults() {
        PodImage volume = new PodImage(Kind.IMAGE_VOLUME, "models", "registry.example.com/models/llm", Optional.empty(),
                Optional.empty());
        assertThat(KubeletPullRules.effectivePolicy(volume)).isEqualTo(PullPolicy.ALWAYS);
        PodImage tagged = new PodImage(Kind.IMAGE_VOLUME, "models", "registry.example.com/models/llm:v1",
                Optional.empty(), Optional.empty());
        assertThat(KubeletPullRules.effectivePolicy(tagged)).isEqualTo(PullPolicy.IF_NOT_PRESENT);
        ClusterNode node = node("n1", List.of());
        assertThat(KubeletPullRules.decide(tagged, Optional.of(node)).action()).isEqualTo(Action.PULL);
    }

    static PodImage image(String image, Optional<PullPolicy> policy) {
        return new PodImage(Kind.CONTAINER, "app", image, policy, Optional.empty());
    }

    static ClusterNode node(String name, List<NodeImage> images) {
        return new ClusterNode(name, true, false, Optional.of("v1.33.1"), Optional.of("containerd://1.7.27"), images);
    }
}
