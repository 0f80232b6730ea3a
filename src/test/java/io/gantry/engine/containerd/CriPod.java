package io.gantry.engine.containerd;

import io.gantry.engine.containerd.api.cri.ContainerConfig;
import io.gantry.engine.containerd.api.cri.ContainerMetadata;
import io.gantry.engine.containerd.api.cri.CreateContainerRequest;
import io.gantry.engine.containerd.api.cri.ImageSpec;
import io.gantry.engine.containerd.api.cri.LinuxPodSandboxConfig;
import io.gantry.engine.containerd.api.cri.LinuxSandboxSecurityContext;
import io.gantry.engine.containerd.api.cri.NamespaceMode;
import io.gantry.engine.containerd.api.cri.NamespaceOption;
import io.gantry.engine.containerd.api.cri.PodSandboxConfig;
import io.gantry.engine.containerd.api.cri.PodSandboxMetadata;
import io.gantry.engine.containerd.api.cri.RemovePodSandboxRequest;
import io.gantry.engine.containerd.api.cri.RunPodSandboxRequest;
import io.gantry.engine.containerd.api.cri.RuntimeServiceGrpc;
import io.gantry.engine.containerd.api.cri.StartContainerRequest;
import io.gantry.engine.containerd.api.cri.StopPodSandboxRequest;
import io.gantry.testing.ContainerdPeer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A pod run through the real containerd's CRI as the kubelet runs one (RunPodSandbox,
 * CreateContainer, StartContainer, with the kubelet's labels), on the host's network (there is no
 * CNI here). Closing it stops and removes the pod and its containers.
 */
final class CriPod implements AutoCloseable {

    private static final Duration CALL = Duration.ofMinutes(2);

    private final ContainerdConnection connection;
    private final PodSandboxConfig config;
    private final String sandboxId;

    private CriPod(ContainerdConnection connection, PodSandboxConfig config, String sandboxId) {
        this.connection = connection;
        this.config = config;
        this.sandboxId = sandboxId;
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return connection.bind(RuntimeServiceGrpc.newBlockingStub(connection.channel()), "k8s.io", CALL);
    }

    /** Runs pod {@code namespace/name}'s sandbox (the CRI's sandbox image) with host networking. */
    static CriPod run(ContainerdPeer containerd, String namespace, String name) {
        ContainerdConnection connection = new ContainerdConnection(containerd.socket());
        NamespaceOption host = NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE)
                .setPid(NamespaceMode.CONTAINER).setIpc(NamespaceMode.POD).build();
        PodSandboxConfig config = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace(namespace)
                        .setUid(UUID.randomUUID().toString()))
                .putAllLabels(Map.of("io.kubernetes.pod.name", name, "io.kubernetes.pod.namespace", namespace))
                .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(
                        LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(host)))
                .build();
        try {
            String id = connection.bind(RuntimeServiceGrpc.newBlockingStub(connection.channel()), "k8s.io", CALL)
                    .runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()).getPodSandboxId();
            return new CriPod(connection, config, id);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Creates and starts container {@code name} of {@code image} running {@code command}; returns its ID. */
    String start(String name, String image, String... command) {
        ContainerConfig container = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage(image))
                .addAllCommand(java.util.List.of(command))
                .putAllLabels(Map.of("io.kubernetes.pod.name", config.getMetadata().getName(),
                        "io.kubernetes.pod.namespace", config.getMetadata().getNamespace(),
                        "io.kubernetes.container.name", name))
                .build();
        String id = runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandboxId)
                .setConfig(container).setSandboxConfig(config).build()).getContainerId();
        runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
        return id;
    }

    String sandboxId() {
        return sandboxId;
    }

    @Override
    public void close() {
        try {
            runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build());
            runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build());
        } finally {
            connection.close();
        }
    }
}
