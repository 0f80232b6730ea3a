package io.gantry.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.Endpoint;
import io.gantry.engine.EngineInfo;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Docker-compatible engine reached through the Engine API (docker-java, zerodep transport). */
public final class DockerEngineStore implements ImageStore {

    private final Endpoint endpoint;
    private final DockerClient client;

    public DockerEngineStore(Endpoint endpoint) {
        this.endpoint = endpoint;
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(endpoint.address())
                .withDockerTlsVerify(false)
                .build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(URI.create(endpoint.address()))
                .connectionTimeout(Duration.ofSeconds(3))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        this.client = DockerClientImpl.getInstance(config, http);
    }

    public static DockerEngineStore of(EngineDiscovery.EngineAddress address) {
        Endpoint.Kind kind = address.podman() ? Endpoint.Kind.PODMAN : Endpoint.Kind.DOCKER;
        return new DockerEngineStore(new Endpoint("engine:" + address.host(), address.name(), kind, address.host()));
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public EngineInfo info() {
        try {
            Version version = client.versionCmd().exec();
            return new EngineInfo(endpoint.kind() == Endpoint.Kind.PODMAN ? "Podman Engine" : "Docker Engine",
                    version.getVersion(), version.getApiVersion());
        } catch (RuntimeException e) {
            throw unavailable("ask " + endpoint.name() + " for its version", e);
        }
    }

    @Override
    public List<ImageSummary> listImages() {
        try {
            List<ImageSummary> images = new ArrayList<>();
            for (Image image : client.listImagesCmd().withShowAll(false).exec()) {
                List<String> tags = image.getRepoTags() == null ? List.of()
                        : Arrays.stream(image.getRepoTags()).filter(t -> !"<none>:<none>".equals(t)).toList();
                List<String> digests = image.getRepoDigests() == null ? List.of()
                        : Arrays.stream(image.getRepoDigests()).filter(t -> !t.startsWith("<none>@")).toList();
                long size = image.getSize() == null ? 0 : image.getSize();
                long shared = image.getSharedSize() == null || image.getSharedSize() < 0 ? 0 : image.getSharedSize();
                int containers = image.getContainers() == null || image.getContainers() < 0 ? 0 : image.getContainers();
                images.add(new ImageSummary(Digest.of(image.getId()), tags, digests,
                        Instant.ofEpochSecond(image.getCreated()), size, shared, containers));
            }
            return images;
        } catch (RuntimeException e) {
            throw unavailable("list images on " + endpoint.name(), e);
        }
    }

    private GantryException unavailable(String operation, RuntimeException e) {
        return new GantryException(ErrorKind.UNAVAILABLE, operation,
                "the engine at " + endpoint.address() + " did not answer (" + e.getClass().getSimpleName() + ")",
                null, 0, "Check that the engine is running and that you may use its socket.", e);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // closing a connection pool; nothing the user can act on
        }
    }
}
