package io.gantry.engine.cluster.fabric8;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Volume;
import io.gantry.engine.cluster.ClusterNode;
import io.gantry.engine.cluster.ClusterNode.NodeImage;
import io.gantry.engine.cluster.ClusterPod;
import io.gantry.engine.cluster.ClusterPod.Kind;
import io.gantry.engine.cluster.ClusterPod.PodImage;
import io.gantry.engine.cluster.PullPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** fabric8's model into Gantry's records; absent fields become empty, never null. */
final class ModelTranslation {

    private ModelTranslation() {
    }

    static ClusterNode node(Node node) {
        String name = node.getMetadata() == null ? "" : orBlank(node.getMetadata().getName());
        var status = node.getStatus();
        List<NodeCondition> conditions = status == null || status.getConditions() == null ? List.of()
                : status.getConditions();
        boolean ready = conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        boolean pressure = conditions.stream()
                .anyMatch(c -> "DiskPressure".equals(c.getType()) && "True".equals(c.getStatus()));
        var info = status == null ? null : status.getNodeInfo();
        List<NodeImage> images = new ArrayList<>();
        if (status != null && status.getImages() != null) {
            for (var image : status.getImages()) {
                List<String> names = image.getNames() == null ? List.of()
                        : image.getNames().stream().filter(Objects::nonNull).toList();
                images.add(new NodeImage(names, image.getSizeBytes() == null ? 0 : image.getSizeBytes()));
            }
        }
        return new ClusterNode(name, ready, pressure,
                Optional.ofNullable(info == null ? null : info.getKubeletVersion()).filter(v -> !v.isBlank()),
                Optional.ofNullable(info == null ? null : info.getContainerRuntimeVersion()).filter(v -> !v.isBlank()),
                images, labels(node));
    }

    /** A node's labels, without null keys or values. */
    private static java.util.Map<String, String> labels(Node node) {
        java.util.Map<String, String> labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
        java.util.Map<String, String> kept = new java.util.HashMap<>();
        if (labels != null) {
            labels.forEach((key, value) -> {
                if (key != null && value != null) {
                    kept.put(key, value);
                }
            });
        }
        return kept;
    }

    static ClusterPod pod(Pod pod) {
        return pod(pod.getMetadata(), pod.getSpec(), pod.getStatus(), Optional.empty());
    }

    /** A pod, or a workload's pod template named {@code label} (e.g. {@code Deployment/web}). */
    static ClusterPod pod(ObjectMeta metadata, PodSpec spec, PodStatus status, Optional<String> label) {
        String namespace = metadata == null || metadata.getNamespace() == null || metadata.getNamespace().isBlank()
                ? "default" : metadata.getNamespace();
        String name = label.orElse(metadata == null ? "" : orBlank(metadata.getName()));
        PodSpec podSpec = spec == null ? new PodSpec() : spec;
        Map<String, ContainerStateWaiting> waiting = waitingReasons(status);
        List<PodImage> images = new ArrayList<>();
        for (Container c : orEmpty(podSpec.getInitContainers())) {
            images.add(container(Kind.INIT_CONTAINER, c.getName(), c.getImage(), c.getImagePullPolicy(), waiting));
        }
        for (Container c : orEmpty(podSpec.getContainers())) {
            images.add(container(Kind.CONTAINER, c.getName(), c.getImage(), c.getImagePullPolicy(), waiting));
        }
        for (EphemeralContainer c : orEmpty(podSpec.getEphemeralContainers())) {
            images.add(container(Kind.EPHEMERAL_CONTAINER, c.getName(), c.getImage(), c.getImagePullPolicy(), waiting));
        }
        for (Volume v : orEmpty(podSpec.getVolumes())) {
            if (v.getImage() != null) {
                images.add(new PodImage(Kind.IMAGE_VOLUME, orBlank(v.getName()), orBlank(v.getImage().getReference()),
                        PullPolicy.parse(v.getImage().getPullPolicy()), Optional.empty()));
            }
        }
        List<String> secrets = orEmpty(podSpec.getImagePullSecrets()).stream().map(LocalObjectReference::getName)
                .filter(Objects::nonNull).toList();
        String serviceAccount = podSpec.getServiceAccountName() == null || podSpec.getServiceAccountName().isBlank()
                ? "default" : podSpec.getServiceAccountName();
        return new ClusterPod(namespace, name, Optional.ofNullable(podSpec.getNodeName()).filter(n -> !n.isBlank()),
                Optional.ofNullable(status == null ? null : status.getPhase()).filter(p -> !p.isBlank()),
                serviceAccount, secrets, images);
    }

    private static PodImage container(Kind kind, String name, String image, String policy,
                                      Map<String, ContainerStateWaiting> waiting) {
        Optional<ContainerStateWaiting> state = Optional.ofNullable(waiting.get(kind.name() + "/" + orBlank(name)));
        return new PodImage(kind, orBlank(name), orBlank(image), PullPolicy.parse(policy),
                state.map(ContainerStateWaiting::getReason), state.map(ContainerStateWaiting::getMessage)
                .filter(m -> !m.isBlank()));
    }

    private static Map<String, ContainerStateWaiting> waitingReasons(PodStatus status) {
        Map<String, ContainerStateWaiting> reasons = new HashMap<>();
        if (status == null) {
            return reasons;
        }
        collect(reasons, Kind.INIT_CONTAINER, status.getInitContainerStatuses());
        collect(reasons, Kind.CONTAINER, status.getContainerStatuses());
        collect(reasons, Kind.EPHEMERAL_CONTAINER, status.getEphemeralContainerStatuses());
        return reasons;
    }

    private static void collect(Map<String, ContainerStateWaiting> reasons, Kind kind, List<ContainerStatus> statuses) {
        for (ContainerStatus s : orEmpty(statuses)) {
            if (s.getState() != null && s.getState().getWaiting() != null && s.getState().getWaiting().getReason() != null) {
                reasons.put(kind.name() + "/" + orBlank(s.getName()), s.getState().getWaiting());
            }
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String orBlank(String text) {
        return text == null ? "" : text;
    }
}
