package io.gantry.engine.containerd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.engine.containerd.api.cri.Container;
import io.gantry.engine.containerd.api.cri.ImageServiceGrpc;
import io.gantry.engine.containerd.api.cri.ListContainersRequest;
import io.gantry.engine.containerd.api.cri.ListImagesRequest;
import io.gantry.engine.containerd.api.cri.ListPodSandboxRequest;
import io.gantry.engine.containerd.api.cri.PodSandbox;
import io.gantry.engine.containerd.api.cri.RuntimeServiceGrpc;
import io.gantry.engine.containerd.api.cri.StatusRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the CRI plugin's {@code runtime.v1.RuntimeService} (and the pinned flags of its image
 * service) says about the node, for naming what uses an image and for the clean-up rules of the
 * {@code k8s.io} namespace: the pods' sandboxes and containers by ID (the CRI's IDs are containerd's
 * container IDs) with their Kubernetes names, the configured sandbox (pause) image, and the images
 * the runtime pins.
 *
 * @param names        a Kubernetes name for each container ID: {@code NAMESPACE/POD/CONTAINER} for a
 *                     container, {@code NAMESPACE/POD (pod sandbox)} for a sandbox
 * @param sandboxImage the CRI's {@code sandbox_image} setting, from {@code Status}'s verbose
 *                     configuration ({@code sandboxImage}), when it says
 * @param pinned       the IDs ({@code sha256:…}) of the images the runtime pins
 */
record CriRuntime(Map<String, String> names, Optional<String> sandboxImage, Set<String> pinned) {

    private static final Duration CALL = Duration.ofSeconds(30);

    /** Built when a CRI status is first read (a namespace other than k8s.io never asks the CRI). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    /** The CRI plugin's configuration is a few KiB; more is not read. */
    private static final int MAX_CONFIG = 1024 * 1024;

    CriRuntime {
        names = Map.copyOf(names);
        pinned = Set.copyOf(pinned);
    }

    /** No CRI: no names, no sandbox image, nothing pinned. */
    static CriRuntime none() {
        return new CriRuntime(Map.of(), Optional.empty(), Set.of());
    }

    /**
     * Reads the CRI on {@code connection}; a containerd without the CRI plugin (the call is
     * {@code UNIMPLEMENTED}) has {@link #none()}. Any other failure is thrown as Gantry's error.
     */
    static CriRuntime read(ContainerdConnection connection, String op) {
        try {
            var runtime = connection.bind(RuntimeServiceGrpc.newBlockingStub(connection.channel()),
                    CriPulls.CRI_NAMESPACE, CALL);
            Map<String, String> pods = new HashMap<>();
            Map<String, String> names = new HashMap<>();
            for (PodSandbox sandbox : runtime.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
                String pod = sandbox.getMetadata().getNamespace() + "/" + sandbox.getMetadata().getName();
                pods.put(sandbox.getId(), pod);
                names.put(sandbox.getId(), pod + " (pod sandbox)");
            }
            for (Container container : connection.bind(RuntimeServiceGrpc.newBlockingStub(connection.channel()),
                    CriPulls.CRI_NAMESPACE, CALL).listContainers(ListContainersRequest.getDefaultInstance())
                    .getContainersList()) {
                String pod = pods.getOrDefault(container.getPodSandboxId(), "?");
                names.put(container.getId(), pod + "/" + container.getMetadata().getName());
            }
            Map<String, String> info = connection.bind(RuntimeServiceGrpc.newBlockingStub(connection.channel()),
                    CriPulls.CRI_NAMESPACE, CALL).status(StatusRequest.newBuilder().setVerbose(true).build())
                    .getInfoMap();
            Set<String> pinned = new HashSet<>();
            connection.bind(ImageServiceGrpc.newBlockingStub(connection.channel()), CriPulls.CRI_NAMESPACE, CALL)
                    .listImages(ListImagesRequest.getDefaultInstance()).getImagesList().stream()
                    .filter(i -> i.getPinned()).forEach(i -> pinned.add(i.getId()));
            return new CriRuntime(names, sandboxImage(info.getOrDefault("config", "")), pinned);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                return none();
            }
            throw connection.failure(op, e);
        }
    }

    /** {@code sandboxImage} of the CRI plugin's configuration as {@code Status} gives it (JSON). */
    static Optional<String> sandboxImage(String configJson) {
        if (configJson.isEmpty() || configJson.length() > MAX_CONFIG) {
            return Optional.empty();
        }
        try {
            JsonNode image = Json.MAPPER.readTree(configJson).path("sandboxImage");
            return image.isTextual() && !image.asText().isBlank() ? Optional.of(image.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
