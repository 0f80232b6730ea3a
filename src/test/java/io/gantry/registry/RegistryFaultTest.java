package io.gantry.registry;

import static io.gantry.registry.TestSupport.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.MediaTypes;
import io.gantry.core.Repository;
import io.gantry.registry.TestSupport.RecordingSleeper;
import io.gantry.testing.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a real registry will not produce on demand, scripted on mockwebserver: wrong digests,
 * truncated and over-long bodies, dropped connections, 429 with {@code Retry-After}, 5xx, OCI
 * error bodies, cancellation. Each checks what the client reports and that nothing unverified is
 * stored.
 */
class RegistryFaultTest {

    private MockRegistry registry;
    private RecordingSleeper sleeper;
    private RegistryClient client;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        registry = new MockRegistry();
        sleeper = new RecordingSleeper();
        client = RegistryClient.builder().sleeper(sleeper).build();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private ImageReference ref(String rest) {
        return ImageReference.parse(registry.registry() + "/" + rest);
    }

    private Repository repo() {
        return Repository.parse(registry.registry() + "/app");
    }

    private static MockResponse manifestResponse(byte[] body, String digestHeader) {
        MockResponse.Builder response = new MockResponse.Builder().code(200)
                .setHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                .body(new Buffer().write(body));
        if (digestHeader != null) {
            response.setHeader("Docker-Content-Digest", digestHeader);
        }
        return response.build();
    }

    private static MockResponse blobResponse(byte[] body) {
        return new MockResponse.Builder().code(200).body(new Buffer().write(body)).build();
    }

    // ---- manifests ----

    @Test
    void pullsAManifestByTagCheckingTheRegistrysDigest() {
        byte[] manifest = TestSupport.ociManifest();
        registry.on("GET", "/v2/app/manifests/1", manifestResponse(manifest, Digest.sha256(manifest).toString()));

        FetchedManifest fetched = client.pullManifest(ref("app:1"), NONE);

        assertThat(fetched.digest()).isEqualTo(Digest.sha256(manifest));
        assertThat(fetched.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(fetched.bytes()).isEqualTo(manifest);
        assertThat(fetched.manifest()).isPresent();
        String accept = registry.requests("GET", "/v2/app/manifests/1").get(0).getHeaders().get("Accept");
        assertThat(accept).contains(MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST,
                MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX);
    }

    @Test
    void refusesAManifestWhoseBytesDoNotMatchTheRegistrysDigestHeader() {
        byte[] manifest = TestSupport.ociManifest();
        registry.on("GET", "/v2/app/manifests/1", manifestResponse(manifest, Digest.sha256("other").toString()));

        assertThatThrownBy(() -> client.pullManifest(ref("app:1"), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                    assertThat(e.code()).contains("DIGEST_MISMATCH");
                });
    }

    @Test
    void refusesAManifestFetchedByDigestThatHashesToSomethingElse() {
        byte[] manifest = TestSupport.ociManifest();
        Digest wanted = Digest.sha256("what we asked for");
        registry.on("GET", "/v2/app/manifests/" + wanted, manifestResponse(manifest, null));

        assertThatThrownBy(() -> client.pullManifest(ref("app@" + wanted), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                    assertThat(e.code()).contains("DIGEST_MISMATCH");
                    assertThat(e.getMessage()).contains(wanted.toString()).contains(Digest.sha256(manifest).toString());
                });
    }

    @Test
    void refusesSchema1WithAClearError() {
        byte[] schema1 = "{\"schemaVersion\":1,\"name\":\"app\",\"tag\":\"old\",\"fsLayers\":[]}"
                .getBytes(StandardCharsets.UTF_8);
        registry.on("GET", "/v2/app/manifests/old", new MockResponse.Builder().code(200)
                .setHeader("Content-Type", MediaTypes.DOCKER_SCHEMA1_SIGNED_MANIFEST).body(new Buffer().write(schema1)).build());

        assertThatThrownBy(() -> client.pullManifest(ref("app:old"), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                    assertThat(e.code()).contains(ManifestCodec.SCHEMA1_CODE);
                    assertThat(e.getMessage()).contains("legacy manifest not supported");
                });
    }

    @Test
    void mapsTheOciErrorBody() {
        registry.on("GET", "/v2/app/manifests/nope", new MockResponse.Builder().code(404)
                .setHeader("Content-Type", "application/json")
                .body("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"nope\"}}]}")
                .build());

        assertThatThrownBy(() -> client.pullManifest(ref("app:nope"), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                    assertThat(e.code()).contains("MANIFEST_UNKNOWN");
                    assertThat(e.httpStatus()).hasValue(404);
                    assertThat(e.operation()).isEqualTo("pull manifest " + ref("app:nope"));
                    assertThat(e.getMessage()).isEqualTo("HTTP 404 MANIFEST_UNKNOWN: manifest unknown");
                    assertThat(e.action()).isPresent();
                });
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void deniedAndUnauthorizedCarryAnAction() {
        registry.on("GET", "/v2/app/manifests/1", new MockResponse.Builder().code(403)
                .body("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}").build());
        assertThatThrownBy(() -> client.pullManifest(ref("app:1"), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.DENIED);
                    assertThat(e.code()).contains("DENIED");
                });

        registry.on("GET", "/v2/app/manifests/2", new MockResponse.Builder().code(401)
                .body("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}").build());
        assertThatThrownBy(() -> client.pullManifest(ref("app:2"), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHORIZED);
                    assertThat(e.action()).contains("Log in with: docker login " + registry.registry());
                });
    }

    // ---- retries ----

    @Test
    void retries429HonouringRetryAfter() {
        byte[] manifest = TestSupport.ociManifest();
        registry.on("GET", "/v2/app/manifests/1", new MockResponse.Builder().code(429).setHeader("Retry-After", "7")
                        .body("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}").build())
                .on("GET", "/v2/app/manifests/1", manifestResponse(manifest, null));

        FetchedManifest fetched = client.pullManifest(ref("app:1"), NONE);

        assertThat(fetched.digest()).isEqualTo(Digest.sha256(manifest));
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void gives5xxABoundedNumberOfTriesWithExponentialBackoff() {
        registry.on("GET", "/v2/app/manifests/1", new MockResponse.Builder().code(503).build());

        assertThatThrownBy(() -> client.pullManifest(ref("app:1"), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.httpStatus()).hasValue(503);
                });
        assertThat(registry.requests("GET", "/v2/app/manifests/1")).hasSize(RetryPolicy.DEFAULT.maxAttempts());
        assertThat(sleeper.waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4));
    }

    @Test
    void aRetryAfterBeyondTheCapEndsTheRetries() {
        registry.on("GET", "/v2/app/manifests/1", new MockResponse.Builder().code(429).setHeader("Retry-After", "3600")
                .body("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"rate limit\"}]}").build());

        assertThatThrownBy(() -> client.pullManifest(ref("app:1"), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
                    assertThat(e.code()).contains("TOOMANYREQUESTS");
                    assertThat(e.getMessage()).contains("3600 s");
                });
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void retriesADroppedConnection() {
        byte[] manifest = TestSupport.ociManifest();
        registry.on("GET", "/v2/app/manifests/1", TruncatedBody.response(manifest, manifest.length / 2))
                .on("GET", "/v2/app/manifests/1", manifestResponse(manifest, null));

        assertThat(client.pullManifest(ref("app:1"), NONE).digest()).isEqualTo(Digest.sha256(manifest));
        assertThat(sleeper.waits).containsExactly(Duration.ofMillis(500));
    }

    // ---- blobs ----

    @Test
    void aBlobWithTheWrongDigestIsRejectedAndNothingIsStored() {
        byte[] content = TestSupport.bytes(100_000, 1);
        Descriptor blob = TestSupport.layer(content);
        byte[] corrupt = content.clone();
        corrupt[50_000] ^= 1;
        registry.on("GET", "/v2/app/blobs/" + blob.digest(), blobResponse(corrupt));
        Path target = dir.resolve("blob");

        assertThatThrownBy(() -> client.pullBlob(repo(), blob, target, ProgressListener.NONE, NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                    assertThat(e.code()).contains("DIGEST_MISMATCH");
                });
        assertThat(filesIn(dir)).isEmpty();
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void aBlobLongerThanDeclaredIsRejectedAndNothingIsStored() {
        byte[] content = TestSupport.bytes(10_000, 2);
        Descriptor blob = TestSupport.layer(content);
        byte[] longer = TestSupport.bytes(10_001, 2);
        registry.on("GET", "/v2/app/blobs/" + blob.digest(), blobResponse(longer));

        assertThatThrownBy(() -> client.pullBlob(repo(), blob, dir.resolve("blob"), ProgressListener.NONE, NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT));
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void aTruncatedBlobIsResumedWithRange() throws IOException {
        byte[] content = TestSupport.bytes(1_000_000, 3);
        Descriptor blob = TestSupport.layer(content);
        String path = "/v2/app/blobs/" + blob.digest();
        registry.on("GET", path, TruncatedBody.response(content, 300_000))
                .on("GET", path, request -> {
                    String range = request.getHeaders().get("Range");
                    int from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                    return new MockResponse.Builder().code(206)
                            .setHeader("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length)
                            .body(new Buffer().write(content, from, content.length - from)).build();
                });
        Path target = dir.resolve("blob");

        Digest digest = client.pullBlob(repo(), blob, target, ProgressListener.NONE, NONE);

        assertThat(digest).isEqualTo(blob.digest());
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(filesIn(dir)).containsExactly(target);
        var gets = registry.requests("GET", path);
        assertThat(gets).hasSize(2);
        assertThat(gets.get(0).getHeaders().get("Range")).isNull();
        assertThat(gets.get(1).getHeaders().get("Range")).isEqualTo("bytes=300000-");
    }

    @Test
    void aResumeAnsweredWith200StartsOver() throws IOException {
        byte[] content = TestSupport.bytes(400_000, 4);
        Descriptor blob = TestSupport.layer(content);
        String path = "/v2/app/blobs/" + blob.digest();
        registry.on("GET", path, TruncatedBody.response(content, 300_000))
                .on("GET", path, blobResponse(content));
        Path target = dir.resolve("blob");
        java.util.List<Long> progress = new java.util.concurrent.CopyOnWriteArrayList<>();

        client.pullBlob(repo(), blob, target, (done, total) -> progress.add(done), NONE);

        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(progress).contains(0L).last().isEqualTo((long) content.length);
    }

    @Test
    void aBlobTruncatedOnEveryAttemptFailsAndNothingIsStored() {
        byte[] content = TestSupport.bytes(200_000, 5);
        Descriptor blob = TestSupport.layer(content);
        registry.on("GET", "/v2/app/blobs/" + blob.digest(), TruncatedBody.response(content, 100_000));

        assertThatThrownBy(() -> client.pullBlob(repo(), blob, dir.resolve("blob"), ProgressListener.NONE, NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
        assertThat(filesIn(dir)).isEmpty();
        assertThat(sleeper.waits).hasSize(RetryPolicy.DEFAULT.maxAttempts() - 1);
    }

    @Test
    void cancellingADownloadStopsItAtOnceAndStoresNothing() throws Exception {
        byte[] content = TestSupport.bytes(2_000_000, 6);
        Descriptor blob = TestSupport.layer(content);
        registry.on("GET", "/v2/app/blobs/" + blob.digest(), new MockResponse.Builder(blobResponse(content))
                .throttleBody(64 * 1024, 200, TimeUnit.MILLISECONDS).build());
        Cancellation cancellation = new Cancellation();
        client = RegistryClient.builder().build();

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.pullBlob(repo(), blob, dir.resolve("blob"), (done, total) -> {
            if (done > 0) {
                new Thread(cancellation::cancel).start();
            }
        }, cancellation)).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void aBlobThatStallsMidwayFailsAfterTheReadTimeoutAndKeepsNothing() {
        // Blob bodies are read without OkHttp's per-read timeout; the socket enforces it instead.
        byte[] content = TestSupport.bytes(2_000_000, 7);
        Descriptor blob = TestSupport.layer(content);
        registry.on("GET", "/v2/app/blobs/" + blob.digest(), new MockResponse.Builder(blobResponse(content))
                .throttleBody(100_000, 60, TimeUnit.SECONDS).build());
        TransportSettings transport = TransportSettings.defaults(dir.resolve("docker"));
        client = RegistryClient.builder().retryPolicy(RetryPolicy.NONE).transport(new TransportSettings(Set.of(),
                transport.certsDirectories(), transport.connectTimeout(), Duration.ofMillis(500),
                transport.requestTimeout())).build();
        java.util.List<Long> progress = new java.util.concurrent.CopyOnWriteArrayList<>();

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.pullBlob(repo(), blob, dir.resolve("blob"), (done, total) -> progress.add(done), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.getMessage()).containsIgnoringCase("timed out");
                });

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(progress).isNotEmpty().allMatch(done -> done == 100_000L);
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void smallBlobsComeBackAsVerifiedBytes() {
        registry.on("GET", "/v2/app/blobs/" + TestSupport.configDescriptor().digest(), blobResponse(TestSupport.CONFIG));

        var config = client.pullConfig(repo(), io.gantry.core.Manifest.of(MediaTypes.OCI_MANIFEST,
                TestSupport.configDescriptor(), java.util.List.of()), NONE);

        assertThat(config.platform().toString()).isEqualTo("linux/amd64");
        assertThat(config.env()).containsExactly("PATH=/bin");
        assertThat(config.cmd()).containsExactly("sh");
    }

    // ---- redirects and auth ----

    @Test
    void authorizationIsNotForwardedWhenABlobRedirectsToAnotherHost() throws IOException {
        byte[] content = TestSupport.bytes(5_000, 7);
        Descriptor blob = TestSupport.layer(content);
        try (MockRegistry storage = new MockRegistry()) {
            storage.on("GET", "/bucket/blob", blobResponse(content));
            registry.on("GET", "/v2/", new MockResponse.Builder().code(401)
                            .setHeader("WWW-Authenticate", "Basic realm=\"test\"").build())
                    .on("GET", "/v2/app/blobs/" + blob.digest(), new MockResponse.Builder().code(307)
                            .setHeader("Location", storage.url("/bucket/blob?signature=abc")).build());
            client = RegistryClient.builder().sleeper(sleeper)
                    .credentials(CredentialStore.of(Map.of(registry.registry(), Credential.basic("alice", "s3cret"))))
                    .build();

            byte[] pulled = client.pullBlobBytes(repo(), blob, NONE);

            assertThat(pulled).isEqualTo(content);
            assertThat(registry.requests("GET", "/v2/app/blobs/" + blob.digest()).get(0).getHeaders().get("Authorization"))
                    .startsWith("Basic ");
            assertThat(storage.requests("GET", "/bucket/blob").get(0).getHeaders().get("Authorization")).isNull();
        }
    }

    @Test
    void bearerTokensAreScopedCachedUntilExpiryAndRefreshedOn401() {
        ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
        byte[] manifest = TestSupport.ociManifest();
        int[] issued = {0};
        registry.on("GET", "/v2/", new MockResponse.Builder().code(401).setHeader("WWW-Authenticate",
                        "Bearer realm=\"" + registry.url("/token") + "\",service=\"test-registry\"").build())
                .on("GET", "/token", request -> new MockResponse.Builder().code(200)
                        .body("{\"token\":\"t" + (++issued[0]) + "\",\"expires_in\":300}").build())
                .on("GET", "/v2/app/manifests/1", request -> {
                    String auth = request.getHeaders().get("Authorization");
                    boolean valid = auth != null && !auth.equals("Bearer t2");
                    return valid ? manifestResponse(manifest, null) : new MockResponse.Builder().code(401)
                            .setHeader("WWW-Authenticate", "Bearer realm=\"" + registry.url("/token")
                                    + "\",service=\"test-registry\",scope=\"repository:app:pull\"").build();
                });
        client = RegistryClient.builder().sleeper(sleeper).clock(clock).build();

        client.pullManifest(ref("app:1"), NONE);
        client.pullManifest(ref("app:1"), NONE);
        assertThat(registry.requests("GET", "/token")).hasSize(1);
        var tokenRequest = registry.requests("GET", "/token").get(0).getUrl();
        assertThat(tokenRequest.queryParameter("service")).isEqualTo("test-registry");
        assertThat(tokenRequest.queryParameterValues("scope")).containsExactly("repository:app:pull");
        assertThat(registry.requests("GET", "/v2/app/manifests/1").get(0).getHeaders().get("Authorization"))
                .isEqualTo("Bearer t1");

        clock.advance(Duration.ofSeconds(301));
        client.pullManifest(ref("app:1"), NONE); // t1 expired: t2 is refused with 401, so t3 is fetched

        assertThat(registry.requests("GET", "/token")).hasSize(3);
        var manifestGets = registry.requests("GET", "/v2/app/manifests/1");
        assertThat(manifestGets.get(manifestGets.size() - 1).getHeaders().get("Authorization")).isEqualTo("Bearer t3");
    }

    @Test
    void aRefusedPasswordNeverAppearsInTheError() {
        registry.on("GET", "/v2/", new MockResponse.Builder().code(401).setHeader("WWW-Authenticate",
                        "Bearer realm=\"" + registry.url("/token") + "\",service=\"svc\"").build())
                .on("GET", "/token", new MockResponse.Builder().code(401)
                        .body("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}").build());
        client = RegistryClient.builder().sleeper(sleeper)
                .credentials(CredentialStore.of(Map.of(registry.registry(), Credential.basic("bob", "hunter2-secret"))))
                .build();

        assertThatThrownBy(() -> client.pullManifest(ref("app:1"), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains("bob").doesNotContain("hunter2");
                    assertThat(e.describe()).doesNotContain("hunter2");
                    assertThat(e.action()).contains("Log in with: docker login " + registry.registry());
                    assertThat(String.valueOf(e.getCause())).doesNotContain("hunter2");
                });
        String basic = registry.requests("GET", "/token").get(0).getHeaders().get("Authorization");
        assertThat(basic).isEqualTo(okhttp3.Credentials.basic("bob", "hunter2-secret"));
    }

    @Test
    void anIdentityTokenIsExchangedWithTheOAuthRefreshGrant() {
        byte[] manifest = TestSupport.ociManifest();
        registry.on("GET", "/v2/", new MockResponse.Builder().code(401).setHeader("WWW-Authenticate",
                        "Bearer realm=\"" + registry.url("/oauth/token") + "\",service=\"svc\"").build())
                .on("POST", "/oauth/token", new MockResponse.Builder().code(200)
                        .body("{\"access_token\":\"from-refresh\",\"expires_in\":60}").build())
                .on("GET", "/v2/app/manifests/1", manifestResponse(manifest, null));
        client = RegistryClient.builder().sleeper(sleeper)
                .credentials(CredentialStore.of(Map.of(registry.registry(), Credential.identity("", "refresh-secret"))))
                .build();

        client.pullManifest(ref("app:1"), NONE);

        var tokenRequest = registry.requests("POST", "/oauth/token").get(0);
        String form = tokenRequest.getBody().utf8();
        assertThat(form).contains("grant_type=refresh_token", "refresh_token=refresh-secret", "service=svc",
                "scope=repository%3Aapp%3Apull");
        assertThat(registry.requests("GET", "/v2/app/manifests/1").get(0).getHeaders().get("Authorization"))
                .isEqualTo("Bearer from-refresh");
    }

    // ---- listings ----

    @Test
    void followsLinkHeadersThroughTagPages() {
        registry.on("GET", "/v2/app/tags/list", request -> {
            String last = request.getUrl().queryParameter("last");
            if (last == null) {
                return new MockResponse.Builder().code(200)
                        .setHeader("Link", "</v2/app/tags/list?last=b&n=2>; rel=\"next\"")
                        .body("{\"name\":\"app\",\"tags\":[\"a\",\"b\"]}").build();
            }
            return new MockResponse.Builder().code(200).body("{\"name\":\"app\",\"tags\":[\"c\"]}").build();
        });

        Page<String> first = client.listTags(repo(), 2, Optional.empty(), NONE);
        Page<String> second = client.listTags(repo(), 2, first.next(), NONE);

        assertThat(first.items()).containsExactly("a", "b");
        assertThat(first.next()).contains("/v2/app/tags/list?last=b&n=2");
        assertThat(second.items()).containsExactly("c");
        assertThat(second.hasNext()).isFalse();
        assertThat(registry.requests("GET", "/v2/app/tags/list").get(0).getUrl().queryParameter("n")).isEqualTo("2");
        assertThat(client.listAllTags(repo(), NONE)).containsExactly("a", "b", "c");
    }

    @Test
    void aPageCursorCannotSendRequestsElsewhere() {
        assertThatThrownBy(() -> client.listTags(repo(), 2, Optional.of("https://evil.example/v2/x"), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
    }

    /**
     * Nothing listens on a loopback port (a real refusal, no mock): the search fails without a
     * single retry wait and its message names both URLs it tried, not only {@code https://} while
     * the retries went to {@code http://}.
     */
    @Test
    void aRefusedLoopbackConnectionFailsAtOnceNamingTheUrlsTried() throws IOException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } // closed: nothing listens there now
        String host = "127.0.0.1:" + port;

        assertThatThrownBy(() -> client.search(host, "foo", 10, Optional.empty(), NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.describe()).contains("http://" + host + "/").contains("https://" + host + "/")
                            .contains("cannot connect");
                });
        assertThat(sleeper.waits).isEmpty();
    }

    private static java.util.List<Path> filesIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
