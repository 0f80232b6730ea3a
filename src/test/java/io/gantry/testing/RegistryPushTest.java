package io.gantry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("peer")
@ExtendWith(RegistryExtension.class)
class RegistryPushTest {

    private final FixtureImages images = new FixtureImages();

    @Test
    void aPushedImageComesBackByteForByte(RegistryPeer registry) throws IOException {
        FixtureImage image = images.image(FixtureImages.unique("push/app"))
                .layer(l -> l.file("etc/os-release", "ID=fixture\n"))
                .layer(l -> l.file("app/run", "run").whiteout("etc/os-release"))
                .cmd("/app/run");

        RegistryPusher.Pushed pushed = registry.pusher().push(image);

        assertThat(pushed.digest()).isEqualTo(image.manifestDigest());
        assertThat(pushed.uploaded()).hasSize(3);
        try (Response manifest = get(registry, "/v2/" + image.repository() + "/manifests/latest",
                image.format().manifestMediaType())) {
            assertThat(manifest.code()).isEqualTo(200);
            assertThat(manifest.header("Content-Type")).isEqualTo(image.format().manifestMediaType());
            assertThat(manifest.header("Docker-Content-Digest")).isEqualTo(image.manifestDigest());
            assertThat(manifest.body().bytes()).isEqualTo(image.manifest().bytes());
        }
        for (Blob blob : image.layerBlobs()) {
            try (Response response = get(registry, "/v2/" + image.repository() + "/blobs/" + blob.digest(), "*/*")) {
                assertThat(response.code()).isEqualTo(200);
                assertThat(response.body().bytes()).isEqualTo(blob.bytes());
            }
        }
        try (Response config = get(registry, "/v2/" + image.repository() + "/blobs/" + image.imageId(), "*/*")) {
            assertThat(config.body().bytes()).isEqualTo(image.configJson());
        }
    }

    @Test
    void aFamilyInOneRepositoryUploadsSharedLayersOnce(RegistryPeer registry) {
        String repository = FixtureImages.unique("family");
        FixtureImage base = images.image(repository).tag("base").layer(l -> l.file("etc/base", "base"));
        FixtureImage app = base.child(repository).tag("app").layer(l -> l.file("app/run", "app"));

        registry.pusher().push(base);
        RegistryPusher.Pushed second = registry.pusher().push(app);

        assertThat(second.skipped()).containsExactly(base.layers().get(0).digest());
        assertThat(second.uploaded()).containsExactly(app.layers().get(1).digest(), app.imageId());
    }

    @Test
    void anOciIndexAndItsImagesArePushed(RegistryPeer registry) throws IOException {
        FixtureImage app = images.image("app").layer(l -> l.file("app/run", "v1"));
        FixtureIndex index = images.index(FixtureImages.unique("multi"), app, app.platform("linux/arm64/v8")).oci();

        RegistryPusher.Pushed pushed = registry.pusher().push(index);

        assertThat(pushed.digest()).isEqualTo(index.manifestDigest());
        try (Response response = get(registry, "/v2/" + index.repository() + "/manifests/latest",
                ManifestFormat.OCI.indexMediaType())) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo(ManifestFormat.OCI.indexMediaType());
            assertThat(response.body().bytes()).isEqualTo(index.manifest().bytes());
        }
        for (FixtureImage child : index.images()) {
            try (Response response = get(registry, "/v2/" + index.repository() + "/manifests/" + child.manifestDigest(),
                    ManifestFormat.OCI.manifestMediaType())) {
                assertThat(response.code()).isEqualTo(200);
                assertThat(response.body().bytes()).isEqualTo(child.manifest().bytes());
            }
        }
    }

    @Test
    void aDockerManifestListIsPushed(RegistryPeer registry) throws IOException {
        FixtureImage app = images.image("app").layer(l -> l.file("app/run", "v2"));
        FixtureIndex list = images.index(FixtureImages.unique("list"), app, app.platform("linux/arm/v7"));

        registry.pusher().push(list);

        try (Response response = get(registry, "/v2/" + list.repository() + "/manifests/latest",
                ManifestFormat.DOCKER.indexMediaType())) {
            assertThat(response.header("Content-Type")).isEqualTo(ManifestFormat.DOCKER.indexMediaType());
            assertThat(response.header("Docker-Content-Digest")).isEqualTo(list.manifestDigest());
        }
    }

    @Test
    void pushesWithHtpasswdCredentials(RegistryPeers registries) {
        RegistryPeer secured = registries.start(RegistryConfig.anonymous().htpasswd("alice", "s3cret"));
        FixtureImage image = images.image("private/app").layer(l -> l.file("secret", "x"));

        assertThat(secured.pusher().push(image).digest()).isEqualTo(image.manifestDigest());
    }

    private static Response get(RegistryPeer registry, String path, String accept) throws IOException {
        return registry.http().newCall(new Request.Builder().url(registry.baseUrl() + path)
                .header("Accept", accept).build()).execute();
    }
}
