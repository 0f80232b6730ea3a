package io.gantry.engine.containerd;

import io.gantry.engine.ContainerRef;
import io.gantry.engine.NodeImageCache;
import io.gantry.engine.NodeImageCache.NodeImage;
import io.gantry.engine.containerd.api.cri.FilesystemUsage;
import io.gantry.engine.containerd.api.cri.Image;
import io.gantry.engine.containerd.api.cri.ImageFsInfoRequest;
import io.gantry.engine.containerd.api.cri.ImageFsInfoResponse;
import io.gantry.engine.containerd.api.cri.ImageServiceGrpc;
import io.gantry.engine.containerd.api.cri.ListImagesRequest;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The Kubernetes node view of a containerd: its CRI plugin's {@code runtime.v1.ImageService}
 * (served on the same socket) for the images as the kubelet sees them (pinned included) and the
 * image filesystem's use, plus the {@code k8s.io} namespace's containers (pods' containers and
 * sandboxes) for what uses each image.
 */
final class ContainerdNode {

    private static final Duration CALL = Duration.ofSeconds(30);

    private ContainerdNode() {
    }

    /** {@code k8s} is the store of the {@code k8s.io} namespace of the same containerd. */
    static NodeImageCache read(ContainerdConnection connection, ContainerdStore k8s) {
        String op = "read the node's image cache (CRI)";
        List<Image> images;
        ImageFsInfoResponse fs;
        try {
            var cri = connection.bind(ImageServiceGrpc.newBlockingStub(connection.channel()), "k8s.io", CALL);
            images = cri.listImages(ListImagesRequest.getDefaultInstance()).getImagesList();
            fs = connection.bind(ImageServiceGrpc.newBlockingStub(connection.channel()), "k8s.io", CALL)
                    .imageFsInfo(ImageFsInfoRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            throw connection.failure(op, e);
        }
        List<ContainerdImage> records = k8s.images();
        Map<String, Instant> firstSeen = new HashMap<>();
        records.forEach(r -> firstSeen.put(r.id().toString(), r.created()));
        Map<String, List<String>> usedBy = new HashMap<>();
        for (ContainerRef c : k8s.containers(records)) {
            usedBy.computeIfAbsent(c.imageId().toString(), k -> new ArrayList<>()).add(c.name());
        }
        List<NodeImage> nodeImages = new ArrayList<>();
        for (Image image : images) {
            nodeImages.add(new NodeImage(image.getId(), image.getRepoTagsList(), image.getRepoDigestsList(),
                    image.getSize(), image.getPinned(), usedBy.getOrDefault(image.getId(), List.of()),
                    firstSeen.getOrDefault(image.getId(), Instant.EPOCH)));
        }
        String mountpoint = "";
        long used = 0;
        for (FilesystemUsage usage : fs.getImageFilesystemsList()) {
            mountpoint = usage.getFsId().getMountpoint();
            used += usage.getUsedBytes().getValue();
        }
        return new NodeImageCache(mountpoint, used, capacity(mountpoint), nodeImages);
    }

    /** The size of the filesystem at {@code mountpoint} when this machine can see it (a local socket). */
    private static OptionalLong capacity(String mountpoint) {
        if (mountpoint.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Files.getFileStore(Path.of(mountpoint)).getTotalSpace());
        } catch (IOException | RuntimeException notVisibleHere) {
            return OptionalLong.empty();
        }
    }
}
