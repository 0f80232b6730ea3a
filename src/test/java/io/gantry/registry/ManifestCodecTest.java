package io.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageConfig;
import io.gantry.core.ImageIndex;
import io.gantry.core.Manifest;
import io.gantry.core.ManifestContent;
import io.gantry.core.MediaTypes;
import io.gantry.core.Platform;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {

    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private static final String D3 = "sha256:" + "3".repeat(64);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsADockerV2Manifest() {
        String json = """
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1469,"digest":"%s"},
                 "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":2,"digest":"%s"},
                           {"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":3,"digest":"%s"}]}
                """.formatted(D1, D2, D3);

        Manifest manifest = (Manifest) ManifestCodec.parse(utf8(json), Optional.empty());

        assertThat(manifest.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(manifest.config().digest()).isEqualTo(Digest.of(D1));
        assertThat(manifest.config().size()).isEqualTo(1469);
        assertThat(manifest.layers()).extracting(d -> d.digest().toString()).containsExactly(D2, D3);
        assertThat(manifest.layersSize()).isEqualTo(5);
    }

    @Test
    void readsAnOciIndexWithPlatformsAndAnnotations() {
        String json = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":7,"digest":"%s",
                  "platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":8,"digest":"%s",
                  "platform":{"architecture":"amd64","os":"windows","os.version":"10.0.17763.1"},
                  "annotations":{"a":"b"}}],
                 "annotations":{"org.opencontainers.image.created":"2025-01-01"}}
                """.formatted(D1, D2);

        ImageIndex index = (ImageIndex) ManifestCodec.parse(utf8(json), Optional.empty());

        assertThat(index.manifests()).hasSize(2);
        assertThat(index.manifests().get(0).platform()).contains(Platform.parse("linux/arm64/v8"));
        assertThat(index.manifests().get(1).platform().orElseThrow().osVersion()).contains("10.0.17763.1");
        assertThat(index.manifests().get(1).annotations()).containsEntry("a", "b");
        assertThat(index.annotations()).containsKey("org.opencontainers.image.created");
    }

    @Test
    void infersTheTypeWhenTheBodyOmitsIt() {
        String manifest = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":1,\"digest\":\"" + D1 + "\"},\"layers\":[]}";
        String index = "{\"schemaVersion\":2,\"manifests\":[]}";
        assertThat(ManifestCodec.parse(utf8(manifest), Optional.empty()).mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(ManifestCodec.parse(utf8(manifest), Optional.of(MediaTypes.DOCKER_MANIFEST + "; charset=utf-8"))
                .mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(ManifestCodec.parse(utf8(index), Optional.empty())).isInstanceOf(ImageIndex.class);
    }

    @Test
    void refusesSchema1EvenWithoutAContentType() {
        assertThatThrownBy(() -> ManifestCodec.parse(utf8("{\"schemaVersion\":1,\"fsLayers\":[]}"), Optional.empty()))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.code()).contains(ManifestCodec.SCHEMA1_CODE);
                    assertThat(e.getMessage()).contains("legacy manifest not supported");
                    assertThat(e.action()).isPresent();
                });
    }

    @Test
    void refusesMalformedContent() {
        for (String bad : new String[] {"not json", "[]", "{\"schemaVersion\":2,\"mediaType\":\"text/plain\"}",
                "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"layers\":[]}",
                "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"x\",\"size\":1,\"digest\":\"sha256:abc\"}}"}) {
            assertThatThrownBy(() -> ManifestCodec.parse(utf8(bad), Optional.empty()))
                    .as(bad)
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT));
        }
    }

    @Test
    void writesWhatItReads() {
        String json = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":7,
                  "platform":{"architecture":"arm","os":"linux","variant":"v7"}}]}""".formatted(D1);
        ManifestContent parsed = ManifestCodec.parse(utf8(json), Optional.empty());

        byte[] written = ManifestCodec.toJson(parsed);

        assertThat(ManifestCodec.parse(written, Optional.empty())).isEqualTo(parsed);
        assertThat(new String(written, StandardCharsets.UTF_8)).startsWith("{\"schemaVersion\":2,\"mediaType\":")
                .doesNotContain("null").doesNotContain("\"layers\"");
    }

    @Test
    void readsAnImageConfig() {
        String json = """
                {"architecture":"arm","os":"linux","variant":"v7","created":"2024-05-06T07:08:09.123456789Z",
                 "author":"me",
                 "config":{"Env":["PATH=/usr/bin","A=b"],"Entrypoint":["/init"],"Cmd":["serve","--port","80"],
                   "WorkingDir":"/app","User":"1000:1000","Labels":{"org.example":"x"},
                   "ExposedPorts":{"8080/tcp":{},"53/udp":{}},"Volumes":{"/data":{}},"StopSignal":"SIGQUIT"},
                 "history":[{"created":"2024-05-06T07:00:00Z","created_by":"/bin/sh -c #(nop) ADD file:abc in /"},
                            {"created_by":"ENV A=b","empty_layer":true}],
                 "rootfs":{"type":"layers","diff_ids":["%s","%s"]}}
                """.formatted(D1, D2);

        ImageConfig config = ManifestCodec.parseConfig(utf8(json));

        assertThat(config.platform().toString()).isEqualTo("linux/arm/v7");
        assertThat(config.created()).contains(Instant.parse("2024-05-06T07:08:09.123456789Z"));
        assertThat(config.author()).contains("me");
        assertThat(config.env()).containsExactly("PATH=/usr/bin", "A=b");
        assertThat(config.entrypoint()).containsExactly("/init");
        assertThat(config.cmd()).containsExactly("serve", "--port", "80");
        assertThat(config.run().workingDir()).contains("/app");
        assertThat(config.run().user()).contains("1000:1000");
        assertThat(config.labels()).containsEntry("org.example", "x");
        assertThat(config.exposedPorts()).containsExactly("53/udp", "8080/tcp");
        assertThat(config.run().volumes()).containsExactly("/data");
        assertThat(config.run().stopSignal()).contains("SIGQUIT");
        assertThat(config.history()).hasSize(2);
        assertThat(config.history().get(1).emptyLayer()).isTrue();
        assertThat(config.history().get(1).created()).isEmpty();
        assertThat(config.diffIds()).containsExactly(Digest.of(D1), Digest.of(D2));
    }

    @Test
    void aMinimalConfigHasEmptyValuesNotNulls() {
        ImageConfig config = ManifestCodec.parseConfig(utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}"));
        assertThat(config.env()).isEmpty();
        assertThat(config.created()).isEmpty();
        assertThat(config.history()).isEmpty();
        assertThat(config.diffIds()).isEmpty();
        assertThat(config.labels()).isEmpty();
    }

    @Test
    void refusesAConfigWithoutPlatform() {
        assertThatThrownBy(() -> ManifestCodec.parseConfig(utf8("{\"config\":{}}")))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT));
    }

    /**
     * The strictness of both former parsers (the registry's and the store's), kept in the one
     * codec: no coercion of a field of the wrong JSON type, no descriptor without a media type or
     * a whole-number size.
     */
    @Test
    void refusesFieldsOfTheWrongTypeRatherThanCoercingThem() {
        String layer = "{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + D2 + "\",\"size\":%s}";
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + "{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + D1 + "\",\"size\":5},\"layers\":[%s]}";
        assertThat(ManifestCodec.parse(utf8(manifest.formatted(layer.formatted("12"))), Optional.empty())).isNotNull();
        for (String bad : new String[] {
                manifest.formatted(layer.formatted("1.5")),
                manifest.formatted(layer.formatted("\"12\"")),
                manifest.formatted(layer.formatted("-1")),
                manifest.formatted("{\"digest\":\"" + D2 + "\",\"size\":3}"),
                manifest.formatted("\"" + D2 + "\""),
                "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                        + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + D1 + "\",\"size\":5},\"layers\":{}}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                        + MediaTypes.OCI_MANIFEST + "\",\"digest\":12,\"size\":5}]}"}) {
            assertThatThrownBy(() -> ManifestCodec.parse(utf8(bad), Optional.empty())).as(bad)
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT));
        }
        for (String bad : new String[] {
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":{\"a\":1}}}",
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[1]}}",
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"diff_ids\":\"" + D1 + "\"}}",
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"history\":[{\"empty_layer\":\"yes\"}]}",
                "{\"architecture\":\"amd64\",\"os\":\"\"}", "{\"architecture\":5,\"os\":\"linux\"}"}) {
            assertThatThrownBy(() -> ManifestCodec.parseConfig(utf8(bad))).as(bad)
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT));
        }
    }

    @Test
    void refusesAConfigAndManifestThatDisagreeOnTheLayers() {
        Manifest manifest = (Manifest) ManifestCodec.parse(utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + D1 + "\",\"size\":5},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + D2 + "\",\"size\":3},"
                + "{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + D3 + "\",\"size\":4}]}"), Optional.empty());
        ImageConfig one = ManifestCodec.parseConfig(utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":"
                + "{\"type\":\"layers\",\"diff_ids\":[\"" + D2 + "\"]}}"));
        ImageConfig two = ManifestCodec.parseConfig(utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":"
                + "{\"type\":\"layers\",\"diff_ids\":[\"" + D2 + "\",\"" + D3 + "\"]}}"));

        ManifestCodec.requireSameLayers(manifest, two, "check");
        assertThatThrownBy(() -> ManifestCodec.requireSameLayers(manifest, one, "check"))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                    assertThat(e.getMessage()).contains("config lists 1 layer (rootfs.diff_ids) but its manifest has 2");
                });
    }
}
