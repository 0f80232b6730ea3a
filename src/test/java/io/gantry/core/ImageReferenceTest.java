package io.gantry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.InvalidReferenceException.Reason;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    private static final String HEX = "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "ubuntu, docker.io/library/ubuntu:latest",
            "ubuntu:24.04, docker.io/library/ubuntu:24.04",
            "user/repo, docker.io/user/repo:latest",
            "user/repo:tag, docker.io/user/repo:tag",
            "docker.io/ubuntu, docker.io/library/ubuntu:latest",
            "index.docker.io/library/ubuntu:1, docker.io/library/ubuntu:1",
            "docker.io/a/b/c, docker.io/a/b/c:latest",
            "localhost/app, localhost/app:latest",
            "localhost:5000/team/app:v1, localhost:5000/team/app:v1",
            "127.0.0.1:5000/app, 127.0.0.1:5000/app:latest",
            "ghcr.io/owner/repo:1.0, ghcr.io/owner/repo:1.0",
            "registry.example.com/app, registry.example.com/app:latest",
            "[::1]:5000/app:x, [::1]:5000/app:x",
            "my-registry:443/a__b/c.d-e:tag_1.2-3, my-registry:443/a__b/c.d-e:tag_1.2-3",
            "localhost:5000/app:5000, localhost:5000/app:5000",
    })
    void normalizesLikeDocker(String input, String canonical) {
        assertThat(ImageReference.parse(input).toString()).isEqualTo(canonical);
    }

    @Test
    void splitsIntoParts() {
        ImageReference ref = ImageReference.parse("localhost:5000/team/app:v1");
        assertThat(ref.registry()).isEqualTo("localhost:5000");
        assertThat(ref.repository()).isEqualTo("team/app");
        assertThat(ref.tag()).contains("v1");
        assertThat(ref.digest()).isEmpty();
        assertThat(ref.manifestReference()).isEqualTo("v1");
        assertThat(ref.registryApiHost()).isEqualTo("localhost:5000");
    }

    @Test
    void digestOnlyReferenceKeepsNoTag() {
        ImageReference ref = ImageReference.parse("alpine@sha256:" + HEX);
        assertThat(ref.tag()).isEmpty();
        assertThat(ref.digest()).contains(Digest.of("sha256:" + HEX));
        assertThat(ref.toString()).isEqualTo("docker.io/library/alpine@sha256:" + HEX);
        assertThat(ref.manifestReference()).isEqualTo("sha256:" + HEX);
    }

    @Test
    void tagAndDigestKeepsBothAndPullsTheDigest() {
        ImageReference ref = ImageReference.parse("host:5000/app:1.0@sha256:" + HEX);
        assertThat(ref.tag()).contains("1.0");
        assertThat(ref.digest()).isPresent();
        assertThat(ref.manifestReference()).isEqualTo("sha256:" + HEX);
        assertThat(ref.toString()).isEqualTo("host:5000/app:1.0@sha256:" + HEX);
    }

    @Test
    void dockerHubHostsAndCredentialKey() {
        ImageReference ref = ImageReference.parse("ubuntu");
        assertThat(ref.isDockerHub()).isTrue();
        assertThat(ref.registryApiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ImageReference.DOCKER_HUB_CREDENTIALS_KEY).isEqualTo("https://index.docker.io/v1/");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "ubuntu, ubuntu:latest",
            "docker.io/library/ubuntu:24.04, ubuntu:24.04",
            "user/repo, user/repo:latest",
            "docker.io/library/a/b, library/a/b:latest",
            "localhost:5000/app:v1, localhost:5000/app:v1",
            "ghcr.io/o/r, ghcr.io/o/r:latest",
    })
    void familiarFormRoundTrips(String input, String familiar) {
        ImageReference ref = ImageReference.parse(input);
        assertThat(ref.familiar()).isEqualTo(familiar);
        assertThat(ImageReference.parse(ref.familiar())).isEqualTo(ref);
        assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
    }

    @Test
    void familiarNameDropsLibrary() {
        assertThat(ImageReference.parse("ubuntu@sha256:" + HEX).familiar()).isEqualTo("ubuntu@sha256:" + HEX);
        assertThat(ImageReference.parse("ubuntu").familiarName()).isEqualTo("ubuntu");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "''| EMPTY",
            "'   '| EMPTY",
            ":tag| EMPTY",
            "Ubuntu| UPPERCASE_REPOSITORY",
            "docker.io/User/repo| UPPERCASE_REPOSITORY",
            "localhost:5000/App| UPPERCASE_REPOSITORY",
            "ubuntu:bad!tag| INVALID_TAG",
            "ubuntu:.hidden| INVALID_TAG",
            "ubuntu:-dash| INVALID_TAG",
            "ubuntu:| INVALID_TAG",
            "ubuntu@sha256:abc| INVALID_DIGEST",
            "ubuntu@md5:0123456789abcdef0123456789abcdef| INVALID_DIGEST",
            "ubuntu@| INVALID_DIGEST",
            "a//b| INVALID_REPOSITORY",
            "a/b_-c| INVALID_REPOSITORY",
            "-abc| INVALID_REPOSITORY",
            "ubuntu/| INVALID_REPOSITORY",
            "host:port/app| INVALID_REGISTRY",
            "bad_host.com/app| INVALID_REGISTRY",
            "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4| LOOKS_LIKE_ID",
            "https://localhost:5000/app:1| HAS_SCHEME",
            "docker://alpine| HAS_SCHEME",
            "oci://| HAS_SCHEME",
    })
    void rejectsWithPreciseReason(String input, Reason reason) {
        assertThatThrownBy(() -> ImageReference.parse(input))
                .isInstanceOfSatisfying(InvalidReferenceException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                    assertThat(e.action()).isPresent();
                    assertThat(e.input()).isEqualTo(input);
                });
    }

    @Test
    void aSchemeIsNamedAndTheNameWithoutItSuggested() {
        assertThatThrownBy(() -> ImageReference.parse("https://localhost:5000/app:1"))
                .isInstanceOfSatisfying(InvalidReferenceException.class, e -> {
                    assertThat(e.getMessage()).contains("an image name has no scheme ('https://')");
                    assertThat(e.action()).contains("Use 'localhost:5000/app:1'.");
                });
        // a "://" after the first slash is not a scheme but a broken path, reported as such
        assertThatThrownBy(() -> ImageReference.parse("team/a://b"))
                .isInstanceOfSatisfying(InvalidReferenceException.class,
                        e -> assertThat(e.reason()).isNotEqualTo(Reason.HAS_SCHEME));
    }

    @Test
    void tagOf128CharactersIsTheLimit() {
        String tag128 = "t".repeat(128);
        assertThat(ImageReference.parse("app:" + tag128).tag()).contains(tag128);
        assertThatThrownBy(() -> ImageReference.parse("app:" + tag128 + "x"))
                .isInstanceOfSatisfying(InvalidReferenceException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TAG_TOO_LONG));
    }

    @Test
    void nameOver255CharactersIsRejected() {
        String longName = "a".repeat(250) + "/bcdef";
        assertThatThrownBy(() -> ImageReference.parse("localhost/" + longName))
                .isInstanceOfSatisfying(InvalidReferenceException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NAME_TOO_LONG));
    }

    @Test
    void messageQuotesInputAndNamesTheRule() {
        assertThatThrownBy(() -> ImageReference.parse("Ubuntu"))
                .hasMessageContaining("'Ubuntu'")
                .hasMessageContaining("lower case");
    }

    @Test
    void anUpperCaseNameSuggestsWhatWasTypedWithOnlyTheRepositoryLowerCased() {
        assertThat(suggestion("Bad:Tag")).isEqualTo("Use 'bad:Tag'.");
        assertThat(suggestion("docker.io/User/Repo@sha256:" + "a".repeat(64)))
                .isEqualTo("Use 'docker.io/user/repo@sha256:" + "a".repeat(64) + "'.");
        assertThat(suggestion("localhost:5000/Team/App:V1")).isEqualTo("Use 'localhost:5000/team/app:V1'.");
        String suggested = suggestion("Bad:Tag");
        assertThat(ImageReference.parse(suggested.substring(5, suggested.length() - 2)).familiar()).isEqualTo("bad:Tag");
    }

    private static String suggestion(String text) {
        try {
            ImageReference.parse(text);
        } catch (InvalidReferenceException e) {
            assertThat(e.reason()).isEqualTo(InvalidReferenceException.Reason.UPPERCASE_REPOSITORY);
            return e.action().orElseThrow();
        }
        throw new AssertionError(text + " parsed");
    }

    @Test
    void constructorValidatesToo() {
        assertThatThrownBy(() -> new ImageReference("docker.io", "Bad", Optional.of("x"), Optional.empty()))
                .isInstanceOf(InvalidReferenceException.class);
        assertThatThrownBy(() -> new ImageReference("docker.io", "library/x", Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void derivedReferences() {
        ImageReference ref = ImageReference.parse("localhost:5000/app:1");
        Digest digest = Digest.of("sha256:" + HEX);
        assertThat(ref.withTag("2").toString()).isEqualTo("localhost:5000/app:2");
        assertThat(ref.withDigest(digest).toString()).isEqualTo("localhost:5000/app:1@sha256:" + HEX);
        assertThat(ref.atDigest(digest).toString()).isEqualTo("localhost:5000/app@sha256:" + HEX);
        assertThat(ref.inRepository("other/app", "x").toString()).isEqualTo("localhost:5000/other/app:x");
    }

    /** The records the two are, with the equals and hashCode the compiler generates. */
    private record DigestTwin(String algorithm, String hex) {
    }

    private record ReferenceTwin(String registry, String repository, Optional<String> tag, Optional<Digest> digest) {
    }

    @Test
    void digestsAndReferencesEqualAndHashAsTheGeneratedRecordMethodsDo() {
        Digest digest = Digest.of("sha256:" + HEX);
        assertThat(digest.hashCode()).isEqualTo(new DigestTwin("sha256", HEX).hashCode());
        assertThat(digest).isEqualTo(Digest.of("sha256:" + HEX)).isNotEqualTo(Digest.sha256("other"))
                .isNotEqualTo(new DigestTwin("sha256", HEX));
        for (String text : new String[] {"ubuntu", "localhost:5000/app:1", "quay.io/a/b@sha256:" + HEX,
                "registry.example:443/team/app:v2@sha256:" + HEX}) {
            ImageReference ref = ImageReference.parse(text);
            assertThat(ref.hashCode()).as(text).isEqualTo(
                    new ReferenceTwin(ref.registry(), ref.repository(), ref.tag(), ref.digest()).hashCode());
            assertThat(ref).isEqualTo(ImageReference.parse(text));
        }
        ImageReference app = ImageReference.parse("localhost:5000/app:1");
        assertThat(app).isNotEqualTo(ImageReference.parse("localhost:5000/app:2"))
                .isNotEqualTo(ImageReference.parse("localhost:5001/app:1"))
                .isNotEqualTo(ImageReference.parse("localhost:5000/app2:1"))
                .isNotEqualTo(ImageReference.parse("localhost:5000/app:1@sha256:" + HEX));
    }
}
