package io.gantry.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Cancellation;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.NodePullProgress;
import io.gantry.engine.NodePullResult;
import io.gantry.engine.RegistryLogin;
import io.gantry.engine.containerd.api.cri.AuthConfig;
import io.gantry.engine.containerd.api.cri.ImageServiceGrpc;
import io.gantry.engine.containerd.api.cri.ImageSpec;
import io.gantry.engine.containerd.api.cri.PullImageRequest;
import io.gantry.testing.ContainerdExtension;
import io.gantry.testing.ContainerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryConfig;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import io.gantry.testing.RegistryPeers;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pulls onto the node through the real containerd's CRI ({@code PullImage}) from the harness's
 * registries, anonymous and htpasswd, and what containerd 1.6 does with {@code server_address}.
 */
@Tag("peer")
@ExtendWith({ContainerdExtension.class, RegistryExtension.class})
class CriPullTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "pa55-w0rd-not-shown";

    private final FixtureImages images = new FixtureImages();

    private static ContainerdStore store(ContainerdPeer containerd, EngineCredentials credentials) {
        return ContainerdStore.open("containerd", containerd.socket(), "default", Optional.empty(), credentials);
    }

    private static EngineCredentials login(String host, String password) {
        return registry -> registry.equals(host)
                ? Optional.of(new RegistryLogin(registry, USER, password, Optional.empty())) : Optional.empty();
    }

    @Test
    void pullsAnonymouslyIntoK8sIoAsTheKubeletWould(ContainerdPeer containerd, RegistryPeer registry) {
        FixtureImage image = images.image(FixtureImages.unique("cri-anon")).bigLayer(2 * 1024 * 1024, 7)
                .layer("ADD app", l -> l.file("app/run", "v1"));
        registry.pusher().push(image);
        containerd.trustRegistry(registry.hostPort());
        String ref = image.reference(registry.hostPort());
        List<NodePullProgress> seen = new CopyOnWriteArrayList<>();

        try (ContainerdStore store = store(containerd, EngineCredentials.anonymous())) {
            NodePullResult pulled = store.pullToNode(ImageReference.parse(ref), seen::add, Cancellation.none());

            assertThat(pulled.imageRef()).isEqualTo(image.imageId());
            assertThat(seen).as("at least the final look at the content store").isNotEmpty();
            assertThat(seen.get(seen.size() - 1).bytesSeen()).isEqualTo(pulled.bytesSeen());
            assertThat(pulled.bytesSeen()).as("never more than the image's blobs")
                    .isLessThanOrEqualTo(image.layerBlobs().stream().mapToLong(b -> b.bytes().length).sum()
                            + 64 * 1024);
        }
        assertThat(containerd.ctrOk("k8s.io", "images", "ls", "-q").lines()).contains(ref, image.imageId());
        assertThat(containerd.ctrOk("k8s.io", "images", "check").stdout()).contains(ref);
    }

    @Test
    void sendsTheLoginForTheImagesRegistryAndNamesAWrongOneWithoutThePassword(ContainerdPeer containerd,
                                                                            RegistryPeers registries) {
        RegistryPeer secured = registries.start(RegistryConfig.anonymous().htpasswd(USER, PASSWORD));
        containerd.trustRegistry(secured.hostPort());
        FixtureImage image = images.image(FixtureImages.unique("cri-auth")).layer("ADD a", l -> l.file("a", "auth"));
        secured.pusher().push(image);
        ImageReference ref = ImageReference.parse(image.reference(secured.hostPort()));

        try (ContainerdStore anonymous = store(containerd, EngineCredentials.anonymous())) {
            assertThatThrownBy(() -> anonymous.pullToNode(ref, p -> { }, Cancellation.none()))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        System.out.println("anonymous CRI pull from an htpasswd registry: " + e.describe() + " / "
                                + e.action().orElse(""));
                        assertThat(e.action().orElse("")).contains("no login for " + secured.hostPort());
                    });
        }
        try (ContainerdStore wrong = store(containerd, login(secured.hostPort(), "not-" + PASSWORD))) {
            assertThatThrownBy(() -> wrong.pullToNode(ref, p -> { }, Cancellation.none()))
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        System.out.println("CRI pull with a wrong password: " + e.describe() + " / "
                                + e.action().orElse(""));
                        assertThat(e.describe() + e.action().orElse("")).doesNotContain(PASSWORD)
                                .doesNotContain("Exception");
                        assertThat(e.action().orElse("")).contains("user " + USER, "docker login " + secured.hostPort());
                    });
        }
        assertThat(containerd.ctrOk("k8s.io", "images", "ls", "-q").lines()).doesNotContain(ref.toString());

        try (ContainerdStore right = store(containerd, login(secured.hostPort(), PASSWORD))) {
            NodePullResult pulled = right.pullToNode(ref, p -> { }, Cancellation.none());
            assertThat(pulled.imageRef()).isEqualTo(image.imageId());
        }
        assertThat(containerd.ctrOk("k8s.io", "images", "ls", "-q").lines()).contains(ref.toString());
    }

    /**
     * What containerd 1.6 makes of {@code server_address}, asked directly: a bare {@code host:port}
     * fails the pull (it does not parse as a URL), and with a scheme it works; Gantry sends the latter.
     */
    @Test
    void aBareHostPortServerAddressFailsThePullAndTheNormalizedOneWorks(ContainerdPeer containerd,
                                                                       RegistryPeers registries) {
        RegistryPeer secured = registries.start(RegistryConfig.anonymous().htpasswd(USER, PASSWORD));
        containerd.trustRegistry(secured.hostPort());
        FixtureImage image = images.image(FixtureImages.unique("cri-addr")).layer("ADD a", l -> l.file("a", "addr"));
        secured.pusher().push(image);
        ImageReference ref = ImageReference.parse(image.reference(secured.hostPort()));
        AuthConfig normalized = CriPulls.authFor(ref, Optional.of(new RegistryLogin(secured.hostPort(), USER,
                PASSWORD, Optional.empty())));
        assertThat(normalized.getServerAddress()).isEqualTo("https://" + secured.hostPort());

        try (ContainerdConnection connection = new ContainerdConnection(containerd.socket())) {
            var cri = connection.bind(ImageServiceGrpc.newBlockingStub(connection.channel()), "k8s.io",
                    Duration.ofMinutes(2));
            PullImageRequest bare = PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref.toString()))
                    .setAuth(normalized.toBuilder().setServerAddress(secured.hostPort())).build();
            assertThatThrownBy(() -> cri.pullImage(bare)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> System.out.println("bare host:port server_address: " + e.getStatus()));

            var again = connection.bind(ImageServiceGrpc.newBlockingStub(connection.channel()), "k8s.io",
                    Duration.ofMinutes(2));
            assertThat(again.pullImage(bare.toBuilder().setAuth(normalized).build()).getImageRef())
                    .isEqualTo(image.imageId());
        }
    }
}
