package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.engine.ImageSummary;
import io.gantry.registry.Page;
import io.gantry.registry.RegistryClient;
import io.gantry.registry.SearchPage;
import io.gantry.registry.SearchResult;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The search view's registry operations and the update check, against the real registry of the harness. */
@Tag("peer")
@ExtendWith(RegistryExtension.class)
class RegistryBrowserTest {

    private final FixtureImages images = new FixtureImages();
    private final RegistryClient client = RegistryClient.builder().build();
    private final RegistryBrowser browser = new RegistryBrowser(client);

    @Test
    void readsTheSearchField() {
        assertThat(RegistryBrowser.interpret("nginx", "docker.io"))
                .isEqualTo(new RegistryBrowser.Query("docker.io", "nginx", Optional.empty()));
        assertThat(RegistryBrowser.interpret(" 127.0.0.1:5000/demo ", "docker.io"))
                .isEqualTo(new RegistryBrowser.Query("127.0.0.1:5000", "demo", Optional.empty()));
        assertThat(RegistryBrowser.interpret("web", "127.0.0.1:5000").registry()).isEqualTo("127.0.0.1:5000");
        RegistryBrowser.Query tagged = RegistryBrowser.interpret("127.0.0.1:5000/demo/web:1.1", "docker.io");
        assertThat(tagged.reference()).contains(ImageReference.parse("127.0.0.1:5000/demo/web:1.1"));
        String digest = "sha256:" + "a".repeat(64);
        assertThat(RegistryBrowser.interpret("alpine@" + digest, "docker.io").reference().orElseThrow().digest())
                .contains(Digest.of(digest));
        assertThat(RegistryBrowser.interpret("not a:reference", "docker.io").isReference()).isFalse();
    }

    @Test
    void searchesTheCatalogPagesTagsAndListsPlatforms(RegistryPeer registry) {
        String repo = FixtureImages.unique("browse");
        FixtureImage app = images.image(repo + "/app").layer("ADD a", l -> l.file("a", "a"));
        for (int i = 0; i < RegistryBrowser.TAG_PAGE + 3; i++) {
            registry.pusher().push(app, app.repository(), "v" + i);
        }
        registry.pusher().push(images.index(repo + "/multi", app, app.platform("linux/arm64/v8")).oci());

        SearchPage found = browser.search(registry.hostPort(), repo, Optional.empty(), Cancellation.none());
        assertThat(found.results()).extracting(SearchResult::name)
                .containsExactly(registry.hostPort() + "/" + repo + "/app", registry.hostPort() + "/" + repo + "/multi");

        String name = registry.hostPort() + "/" + repo + "/app";
        // docker-registry 2.8 ignores n for tags and answers in one page; whatever the paging, the
        // pages together hold every tag once (Link-header paging is covered by SearchViewHubTest).
        List<String> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page<String> page = browser.tags(name, cursor, Cancellation.none());
            all.addAll(page.items());
            cursor = page.next();
        } while (cursor.isPresent());
        assertThat(all).hasSize(RegistryBrowser.TAG_PAGE + 3).doesNotHaveDuplicates().contains("v0", "v52");

        assertThat(browser.platforms(ImageReference.parse(registry.hostPort() + "/" + repo + "/multi:latest"), Cancellation.none()))
                .containsExactly(Platform.parse("linux/amd64"), Platform.parse("linux/arm64/v8"));
        assertThat(browser.platforms(ImageReference.parse(name + ":v1"), Cancellation.none())).isEmpty();
    }

    @Test
    void updateCheckComparesTheRegistryDigestWithTheLocalOne(RegistryPeer registry) {
        String repo = FixtureImages.unique("upd");
        FixtureImage v1 = images.image(repo).tag("1").layer("ADD a", l -> l.file("a", "one"));
        FixtureImage v2 = images.image(repo).tag("1").layer("ADD a", l -> l.file("a", "two"));
        String old = registry.pusher().push(v1).digest();
        String name = registry.hostPort() + "/" + repo;
        ImageSummary local = new ImageSummary(Digest.of(v1.imageId()), List.of(name + ":1"), List.of(name + "@" + old),
                Instant.now(), 10, 0, 0);
        ImageSummary built = new ImageSummary(Digest.of(v1.imageId()), List.of(name + ":1"), List.of(),
                Instant.now(), 10, 0, 0);
        List<Duration> waits = new ArrayList<>();
        UpdateCheck check = new UpdateCheck(client, (duration, cancellation) -> waits.add(duration), Duration.ofMillis(250));

        assertThat(check.check(name + ":1", local, Cancellation.none()).status()).isEqualTo(UpdateCheck.Status.UP_TO_DATE);
        assertThat(check.check(name + ":1", built, Cancellation.none()).status()).isEqualTo(UpdateCheck.Status.UNKNOWN);

        String newer = registry.pusher().push(v2).digest();
        List<UpdateCheck.Result> results = new ArrayList<>();
        check.checkAll(List.of(local, local), results::add, Cancellation.none());
        assertThat(results).hasSize(2).allSatisfy(result -> {
            assertThat(result.status()).isEqualTo(UpdateCheck.Status.UPDATE_AVAILABLE);
            assertThat(result.remote()).contains(Digest.of(newer));
        });
        assertThat(waits).containsExactly(Duration.ofMillis(250)); // spaced, one pause between two requests

        ImageSummary gone = new ImageSummary(Digest.of(v1.imageId()), List.of(name + "-missing:1"),
                List.of(name + "-missing@" + old), Instant.now(), 10, 0, 0);
        UpdateCheck.Result missing = check.check(name + "-missing:1", gone, Cancellation.none());
        assertThat(missing.status()).isEqualTo(UpdateCheck.Status.UNKNOWN);
        assertThat(missing.why()).isEqualTo("the registry has no such tag any more");
    }
}
