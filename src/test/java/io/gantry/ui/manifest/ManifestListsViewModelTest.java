package io.gantry.ui.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Digest;
import io.gantry.core.Platform;
import io.gantry.engine.ImageSummary;
import io.gantry.engine.ManifestList;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which platforms of a list the endpoint has: matched by manifest digest against the images' repo digests. */
class ManifestListsViewModelTest {

    private static Digest digest(char c) {
        return Digest.of("sha256:" + String.valueOf(c).repeat(64));
    }

    @Test
    void aPlatformIsHereWhenAnImagesRepoDigestNamesItsManifest() {
        ManifestList.Entry amd = new ManifestList.Entry(digest('a'), "application/vnd.oci.image.manifest.v1+json", 343,
                Optional.of(Platform.of("linux", "amd64")));
        ManifestList.Entry arm = new ManifestList.Entry(digest('b'), "application/vnd.oci.image.manifest.v1+json", 343,
                Optional.of(Platform.of("linux", "arm64", "v8")));
        ManifestList.Entry bare = new ManifestList.Entry(digest('e'), "application/vnd.oci.image.manifest.v1+json", 1,
                Optional.empty());
        ManifestList list = new ManifestList(digest('c'), List.of("localhost/app:1"), Optional.of(digest('d')),
                "application/vnd.docker.distribution.manifest.list.v2+json", Instant.EPOCH, List.of(amd, arm, bare));
        ImageSummary here = new ImageSummary(digest('f'), List.of("localhost/app-amd:latest"),
                List.of("localhost/app-amd@" + digest('a'), "localhost/odd@not-a-digest", "no-at-sign"),
                Instant.EPOCH, 10, 0, 0);
        ImageSummary other = new ImageSummary(digest('9'), List.of(), List.of("localhost/x@" + digest('8')),
                Instant.EPOCH, 10, 0, 0);

        List<ManifestListsViewModel.Row> rows = ManifestListsViewModel.rowsOf(List.of(list), List.of(other, here));

        assertThat(rows).hasSize(1);
        ManifestListsViewModel.Row row = rows.get(0);
        assertThat(row.name()).isEqualTo("localhost/app:1");
        assertThat(row.platformsText()).isEqualTo("linux/amd64, linux/arm64/v8, no platform");
        assertThat(row.localText()).isEqualTo("1 of 3");
        assertThat(row.platforms().get(0).local()).contains(here);
        assertThat(row.platforms().get(0).localText()).isEqualTo("localhost/app-amd:latest (" + digest('f').shortHex() + ")");
        assertThat(row.platforms().get(1).local()).isEmpty();
        assertThat(row.platforms().get(1).localText()).isEqualTo("not on this endpoint");
    }

    @Test
    void theKindOfAListInWords() {
        assertThat(ManifestListsView.kind("application/vnd.oci.image.index.v1+json")).isEqualTo("OCI image index");
        assertThat(ManifestListsView.kind("application/vnd.docker.distribution.manifest.list.v2+json"))
                .isEqualTo("Docker manifest list");
        assertThat(ManifestListsView.kind("")).isEqualTo("manifest list");
    }
}
