package io.gantry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class FixtureImagesTest {

    private final FixtureImages images = new FixtureImages();
    private final ObjectMapper json = new ObjectMapper();

    private FixtureImage base() {
        return images.image("base").layer("ADD rootfs", l -> l
                .file("etc/os-release", "ID=fixture\n")
                .dir("var/cache")
                .file("var/cache/a", "a")
                .symlink("etc/alias", "os-release"));
    }

    @Test
    void theSameDescriptionGivesTheSameBytesAndDigests() {
        FixtureImage one = base();
        FixtureImage two = base();

        assertThat(two.layers().get(0).compressed()).isEqualTo(one.layers().get(0).compressed());
        assertThat(two.imageId()).isEqualTo(one.imageId());
        assertThat(two.manifestDigest()).isEqualTo(one.manifestDigest());
    }

    @Test
    void gzipHeaderHasNoTimestampAndNoName() {
        byte[] gzip = base().layers().get(0).compressed();

        assertThat(gzip[0] & 0xff).isEqualTo(0x1f);
        assertThat(gzip[1] & 0xff).isEqualTo(0x8b);
        assertThat(gzip[3]).as("FLG: no FNAME, no FCOMMENT").isEqualTo((byte) 0);
        assertThat(new byte[] {gzip[4], gzip[5], gzip[6], gzip[7]}).as("MTIME").containsOnly(0);
    }

    @Test
    void tarEntriesHaveFixedTimesOwnersModesAndParentDirectories() throws IOException {
        Layer layer = images.layer(l -> l
                .file("etc/os-release", "ID=fixture\n")
                .executable("usr/bin/tool", new byte[] {1, 2, 3})
                .owner(1000, 1000).file("home/user/notes", "hi")
                .symlink("usr/bin/alias", "tool")
                .hardlink("usr/bin/hard", "usr/bin/tool")
                .whiteout("etc/old.conf")
                .opaque("var/lib"));

        List<TarArchiveEntry> entries = readTar(layer.tar());

        assertThat(entries).extracting(TarArchiveEntry::getName).containsExactly(
                "etc/", "etc/os-release", "usr/", "usr/bin/", "usr/bin/tool", "home/", "home/user/", "home/user/notes",
                "usr/bin/alias", "usr/bin/hard", "etc/.wh.old.conf", "var/", "var/lib/", "var/lib/.wh..wh..opq");
        assertThat(entries).allSatisfy(e -> assertThat(e.getModTime().toInstant())
                .isEqualTo(FixtureImages.DEFAULT_CREATED));
        TarArchiveEntry tool = entries.get(4);
        assertThat(tool.getMode() & 07777).isEqualTo(0755);
        assertThat(tool.getLongUserId()).isZero();
        assertThat(tool.getUserName()).isEmpty();
        assertThat(entries.get(7).getLongUserId()).isEqualTo(1000);
        assertThat(entries.get(8).isSymbolicLink()).isTrue();
        assertThat(entries.get(8).getLinkName()).isEqualTo("tool");
        assertThat(entries.get(9).isLink()).isTrue();
        assertThat(layer.entries().get(10).isWhiteout()).isTrue();
        assertThat(layer.entries().get(13).isOpaqueMarker()).isTrue();
        assertThat(layer.diffId()).isEqualTo(Sha256.digest(layer.tar()));
        assertThat(layer.digest()).isEqualTo(Sha256.digest(layer.compressed()));
        assertThat(gunzip(layer.compressed())).isEqualTo(layer.tar());
    }

    @Test
    void configHasPlatformCommandHistoryAndDiffIds() throws IOException {
        FixtureImage app = base().child("app")
                .env("MODE", "prod")
                .emptyLayer("ENV MODE=prod")
                .layer("COPY app /app", l -> l.file("app/run", "echo hi"))
                .entrypoint("/app/run").cmd("--fast").label("team", "gantry").workingDir("/app")
                .platform("linux/arm64/v8");

        JsonNode config = json.readTree(app.configJson());

        assertThat(config.get("architecture").asText()).isEqualTo("arm64");
        assertThat(config.get("variant").asText()).isEqualTo("v8");
        assertThat(config.get("os").asText()).isEqualTo("linux");
        assertThat(config.get("created").asText()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(config.at("/config/Env/0").asText()).isEqualTo("MODE=prod");
        assertThat(config.at("/config/Entrypoint/0").asText()).isEqualTo("/app/run");
        assertThat(config.at("/config/Cmd/0").asText()).isEqualTo("--fast");
        assertThat(config.at("/config/Labels/team").asText()).isEqualTo("gantry");
        assertThat(config.at("/rootfs/type").asText()).isEqualTo("layers");
        assertThat(config.at("/rootfs/diff_ids")).extracting(JsonNode::asText).containsExactlyElementsOf(app.diffIds());
        assertThat(config.get("history")).hasSize(3);
        assertThat(config.at("/history/1/empty_layer").asBoolean()).isTrue();
        assertThat(config.at("/history/2/created_by").asText()).isEqualTo("COPY app /app");
        assertThat(app.imageId()).isEqualTo(Sha256.digest(app.configJson()));
    }

    @Test
    void childrenShareTheParentsExactLayers() {
        FixtureImage base = base();
        FixtureImage app = base.child("app").layer(l -> l.file("app/run", "v1"));
        FixtureImage other = base.child("other").layer(l -> l.file("other/run", "v1"));

        assertThat(app.layers()).hasSize(2);
        assertThat(app.layers().get(0)).isSameAs(base.layers().get(0));
        assertThat(other.layers().get(0).digest()).isEqualTo(app.layers().get(0).digest());
        assertThat(app.reference()).isEqualTo("app:latest");
        assertThat(base.layers()).as("the parent is unchanged").hasSize(1);
    }

    @Test
    void manifestsInDockerAndOciMediaTypes() throws IOException {
        FixtureImage image = base();

        JsonNode docker = json.readTree(image.manifest().bytes());
        JsonNode oci = json.readTree(image.oci().manifest().bytes());

        assertThat(docker.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(docker.get("mediaType").asText()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(docker.at("/config/mediaType").asText()).isEqualTo("application/vnd.docker.container.image.v1+json");
        assertThat(docker.at("/config/digest").asText()).isEqualTo(image.imageId());
        assertThat(docker.at("/layers/0/mediaType").asText()).isEqualTo("application/vnd.docker.image.rootfs.diff.tar.gzip");
        assertThat(docker.at("/layers/0/digest").asText()).isEqualTo(image.layers().get(0).digest());
        assertThat(docker.at("/layers/0/size").asLong()).isEqualTo(image.layers().get(0).size());
        assertThat(oci.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(oci.at("/config/mediaType").asText()).isEqualTo("application/vnd.oci.image.config.v1+json");
        assertThat(oci.at("/layers/0/mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
        assertThat(image.oci().imageId()).isEqualTo(image.imageId());
    }

    @Test
    void indexesListEachPlatform() throws IOException {
        FixtureImage app = base().child("app");
        FixtureIndex index = images.index("multi", app, app.platform("linux/arm64/v8"));

        JsonNode list = json.readTree(index.manifest().bytes());
        JsonNode ociIndex = json.readTree(index.oci().manifest().bytes());

        assertThat(list.get("mediaType").asText()).isEqualTo("application/vnd.docker.distribution.manifest.list.v2+json");
        assertThat(list.at("/manifests/0/mediaType").asText()).isEqualTo(ManifestFormat.DOCKER.manifestMediaType());
        assertThat(list.at("/manifests/1/platform/architecture").asText()).isEqualTo("arm64");
        assertThat(list.at("/manifests/1/platform/variant").asText()).isEqualTo("v8");
        assertThat(list.at("/manifests/0/digest").asText()).isEqualTo(index.images().get(0).manifestDigest());
        assertThat(ociIndex.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(ociIndex.at("/manifests/0/mediaType").asText()).isEqualTo(ManifestFormat.OCI.manifestMediaType());
        assertThat(index.oci().images()).allSatisfy(i -> assertThat(i.repository()).isEqualTo("multi"));
    }

    @Test
    void bigLayersAreDeterministicAndIncompressible() {
        FixtureImage one = images.image("big").bigLayer(1 << 20, 42);
        FixtureImage two = images.image("big").bigLayer(1 << 20, 42);
        FixtureImage other = images.image("big").bigLayer(1 << 20, 43);

        assertThat(one.layers().get(0).digest()).isEqualTo(two.layers().get(0).digest())
                .isNotEqualTo(other.layers().get(0).digest());
        assertThat(one.layers().get(0).size()).isGreaterThan(1 << 20);
    }

    @Test
    void busyboxImageRunsSleep() {
        FixtureImage busybox = images.busybox("bb");

        assertThat(busybox.cmd()).contains(List.of("/bin/busybox", "sleep", "3600"));
        assertThat(busybox.layers().get(0).entries()).extracting(LayerEntry::path)
                .containsExactly("bin", "bin/busybox", "bin/sh");
        assertThat(busybox.layers().get(0).entries().get(1).mode()).isEqualTo(0755);
    }

    @Test
    void createdTimeCanBeChanged() throws IOException {
        Instant later = Instant.parse("2025-06-01T12:00:00Z");
        FixtureImage image = images.image("later").created(later).layer(l -> l.file("f", "x"));

        assertThat(json.readTree(image.configJson()).get("created").asText()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(image.layers().get(0).entries().get(0).modified()).isEqualTo(later);
    }

    private static List<TarArchiveEntry> readTar(byte[] tar) throws IOException {
        List<TarArchiveEntry> entries = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(e);
            }
        }
        return entries;
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }
}
