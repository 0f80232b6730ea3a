package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ImageConfig;
import io.gantry.core.ImageReference;
import io.gantry.core.Manifest;
import io.gantry.registry.ManifestCodec;
import io.gantry.store.OciLayoutStore;
import io.gantry.testing.DockerArchive;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which of an engine's RepoDigests {@link LocalLayers} reads to learn the blobs the engine has pulled, and what the embedded store marks. */
class LocalLayersTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String OTHER = "sha256:" + "b".repeat(64);

    @Test
    void onlyManifestsInTheRegistryBeingPulledFromAreRead_thePulledRepositoryFirst() {
        ImageReference pulling = ImageReference.parse("localhost:5000/team/api:2");
        List<String> repoDigests = List.of(
                "localhost:5000/team/web@" + DIGEST,
                "ghcr.io/team/api@" + DIGEST,
                "<none>@<none>",
                "localhost:5000/team/api@" + OTHER,
                "localhost:5000/team/web@" + DIGEST); // listed twice: read once

        assertThat(LocalLayers.pulledFrom(repoDigests, pulling)).extracting(ImageReference::toString).containsExactly(
                "localhost:5000/team/api@" + OTHER,
                "localhost:5000/team/web@" + DIGEST);
    }

    @Test
    void atMostALimitedNumberOfManifestsAreRead() {
        List<String> repoDigests = new ArrayList<>();
        for (int i = 0; i < LocalLayers.MAX_KNOWN_MANIFESTS + 5; i++) {
            repoDigests.add("localhost:5000/app" + i + "@" + DIGEST);
        }
        assertThat(LocalLayers.pulledFrom(repoDigests, ImageReference.parse("localhost:5000/other:1")))
                .hasSize(LocalLayers.MAX_KNOWN_MANIFESTS);
    }

    /**
     * The embedded store holding one image under two manifests (uncompressed first, then gzipped
     * under another name): a pull of the gzipped manifest skips all its layers, whose blobs are
     * there under the second entry.
     */
    @Test
    void theEmbeddedStoreMarksTheBlobsOfEveryManifestAnImageIsKeptUnder(@TempDir Path dir) throws Exception {
        FixtureImage app = new FixtureImages().image("example.com/kept")
                .layer("ADD base", l -> l.randomFile("base", 20_000, 31))
                .layer("ADD app", l -> l.randomFile("app", 10_000, 32));
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("store"))) {
            store.load(new DockerArchive().add(app, "example.com/kept:plain").writeTo(dir.resolve("plain.tar")));
            store.load(new DockerArchive().gzipLayers().add(app, "example.com/kept:gz").writeTo(dir.resolve("gz.tar")));
            RemoteImage.PlatformImage gzipped = entryNamed(store, dir.resolve("store/index.json"), "example.com/kept:gz");

            // the embedded store keeps blobs, so no registry is asked
            LocalLayers local = LocalLayers.of(store, ImageReference.parse("example.com/kept:gz"), null, new Cancellation());

            assertThat(gzipped.manifest().layers()).hasSize(2);
            assertThat(local.mark(gzipped)).allMatch(RemoteImage.RemoteLayer::local);
        }
    }

    private static RemoteImage.PlatformImage entryNamed(OciLayoutStore store, Path index, String name) throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (JsonNode entry : json.readTree(index.toFile()).path("manifests")) {
            if (entry.path("annotations").path("org.opencontainers.image.ref.name").asText().equals(name)) {
                Descriptor d = Descriptor.of(entry.path("mediaType").asText(), Digest.of(entry.path("digest").asText()),
                        entry.path("size").asLong());
                byte[] raw = store.readBlob(d);
                Manifest manifest = ManifestCodec.parseManifest(raw, Optional.of(d.mediaType()), "read " + name);
                ImageConfig config = ManifestCodec.parseConfig(store.readBlob(manifest.config()), "read " + name);
                return new RemoteImage.PlatformImage(d, raw, manifest, config);
            }
        }
        throw new AssertionError(name + " is not in " + index);
    }

    @Test
    void anEndpointThatCannotSayMarksNothing() {
        assertThat(LocalLayers.unknown().known()).isFalse();
    }
}
