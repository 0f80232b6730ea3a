package io.gantry.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pre-puller DaemonSet as YAML, its names and its node selector. */
class PrePullerTest {

    @Test
    void theYamlPullsInAnInitContainerAndKeepsAPauseContainer() {
        PrePuller prePuller = new PrePuller("tools", "gantry-prepull-app-1", "registry.example.com/team/app:1.4",
                Map.of("kubernetes.io/os", "linux"), List.of("pull-registry.example.com"));
        String yaml = prePuller.yaml();
        assertThat(yaml).contains("kind: DaemonSet", "name: gantry-prepull-app-1", "namespace: tools",
                "app.kubernetes.io/managed-by: gantry", "gantry.io/prepull: gantry-prepull-app-1",
                "nodeSelector:\n        kubernetes.io/os: \"linux\"", "- operator: Exists",
                "imagePullSecrets:\n      - name: \"pull-registry.example.com\"",
                "initContainers:\n      - name: prepull\n        image: \"registry.example.com/team/app:1.4\"\n"
                        + "        imagePullPolicy: IfNotPresent",
                "containers:\n      - name: pause\n        image: registry.k8s.io/pause:3.10");
        assertThat(new PrePuller("tools", "p", "nginx", Map.of(), List.of()).yaml())
                .doesNotContain("nodeSelector").doesNotContain("imagePullSecrets");
    }

    @Test
    void theDefaultNameIsStablePerImageAndAValidName() {
        String name = PrePuller.defaultName("registry.example.com/team/app:1.4");
        assertThat(name).startsWith("gantry-prepull-app-").hasSize("gantry-prepull-app-".length() + 8)
                .isEqualTo(PrePuller.defaultName("registry.example.com/team/app:1.4"))
                .isNotEqualTo(PrePuller.defaultName("registry.example.com/team/app:1.5"));
        String longName = PrePuller.defaultName("r.example.com/" + "very-long-repository-name-".repeat(5) + "x:1");
        assertThat(longName.length()).isLessThanOrEqualTo(63);
        for (String image : List.of("nginx", "r.example.com/" + "very-long-repository-name-".repeat(5) + "x:1",
                "localhost:5000/a__b@sha256:" + "ab".repeat(32))) {
            new PrePuller("default", PrePuller.defaultName(image), image, Map.of(), List.of()); // valid, or this throws
        }
    }

    @Test
    void nodeSelectorsAreEqualityOnly() {
        assertThat(PrePuller.parseSelector("kubernetes.io/os=linux, pool==gpu")).containsExactly(
                Map.entry("kubernetes.io/os", "linux"), Map.entry("pool", "gpu"));
        assertThat(PrePuller.parseSelector(null)).isEmpty();
        for (String bad : List.of("pool!=gpu", "pool", "=gpu")) {
            assertThatThrownBy(() -> PrePuller.parseSelector(bad)).isInstanceOfSatisfying(GantryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        }
        PrePuller gpu = new PrePuller("default", "p", "nginx", Map.of("pool", "gpu"), List.of());
        assertThat(gpu.selects(Map.of("pool", "gpu", "zone", "a"))).isTrue();
        assertThat(gpu.selects(Map.of("pool", "cpu"))).isFalse();
    }

    @Test
    void whatKubernetesWouldRefuseIsRefusedFirst() {
        for (Runnable bad : List.<Runnable>of(
                () -> new PrePuller("default", "p", "Not A Reference", Map.of(), List.of()),
                () -> new PrePuller("default", "Bad_Name", "nginx", Map.of(), List.of()),
                () -> new PrePuller("Bad.NS", "p", "nginx", Map.of(), List.of()),
                () -> new PrePuller("default", "p", "nginx", Map.of("pool", "a b"), List.of()))) {
            assertThatThrownBy(bad::run).isInstanceOfSatisfying(GantryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        }
    }
}
