package io.gantry.registry;

import static io.gantry.registry.TestSupport.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.Repository;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blob upload faults a real registry does not produce on demand (issue 17, item 6), on
 * {@link MockRegistry}: a {@code 202} without {@code Location}, an upload whose {@code PUT} fails
 * with a {@code 503} (a new session is started, at most {@link BlobPusher#MAX_UPLOAD_SESSIONS}), and a
 * refused cross-repository mount (the registry answers the mount with an upload session, and the
 * blob is uploaded there). The happy paths and a real refused mount are in {@code store.PushTest}
 * against the harness registry.
 */
class PushFaultTest {

    private MockRegistry registry;
    private RegistryClient client;
    private final byte[] blob = new byte[300_000];
    private Digest digest;

    @BeforeEach
    void start() throws IOException {
        registry = new MockRegistry();
        client = RegistryClient.builder().sleeper((duration, cancellation) -> { }).build();
        ThreadLocalRandom.current().nextBytes(blob);
        digest = Digest.sha256(blob);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private Repository repo(String name) {
        return Repository.parse(registry.registry() + "/" + name);
    }

    private static MockResponse accepted(String location) {
        return new MockResponse.Builder().code(202).setHeader("Location", location).build();
    }

    private MockResponse created(RecordedRequest request) {
        Optional<Digest> sent = Optional.ofNullable(request.getBody()).map(body -> Digest.sha256(body.toByteArray()));
        boolean whole = sent.filter(digest::equals).isPresent()
                && digest.toString().equals(request.getUrl().queryParameter("digest"));
        return new MockResponse.Builder().code(whole ? 201 : 400).build();
    }

    @Test
    void aStartedUploadWithoutLocationIsABadAnswerAndNothingIsSent() {
        registry.on("POST", "/v2/app/blobs/uploads/", new MockResponse.Builder().code(202).build());

        assertThatThrownBy(() -> client.pushBlob(repo("app"), digest, BlobSource.of(blob), Optional.empty(),
                ProgressListener.NONE, NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                    assertThat(e.getMessage()).contains("HTTP 202 without an upload location").doesNotContain("Exception");
                });
        assertThat(registry.requests().stream().filter(r -> r.getMethod().equals("PUT"))).isEmpty();
    }

    @Test
    void aFailedPutStartsANewSessionAndTheBlobArrivesWhole() {
        registry.on("POST", "/v2/app/blobs/uploads/", accepted("/v2/app/blobs/uploads/one"))
                .on("POST", "/v2/app/blobs/uploads/", accepted("/v2/app/blobs/uploads/two"))
                .on("PUT", "/v2/app/blobs/uploads/one", new MockResponse.Builder().code(503).build())
                .on("PUT", "/v2/app/blobs/uploads/two", this::created);

        PushOutcome outcome = client.pushBlob(repo("app"), digest, BlobSource.of(blob), Optional.empty(),
                ProgressListener.NONE, NONE);

        assertThat(outcome).isEqualTo(PushOutcome.UPLOADED);
        assertThat(registry.requests("POST", "/v2/app/blobs/uploads/")).hasSize(2);
        assertThat(registry.requests("PUT", "/v2/app/blobs/uploads/two")).hasSize(1);
    }

    @Test
    void anUploadThatFailsInEverySessionGivesUpWithOneLine() {
        registry.on("POST", "/v2/app/blobs/uploads/", accepted("/v2/app/blobs/uploads/s"))
                .on("PUT", "/v2/app/blobs/uploads/s", new MockResponse.Builder().code(503).build());

        assertThatThrownBy(() -> client.pushBlob(repo("app"), digest, BlobSource.of(blob), Optional.empty(),
                ProgressListener.NONE, NONE))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.getMessage()).doesNotContain("Exception").doesNotContain("\n");
                });
        assertThat(registry.requests("POST", "/v2/app/blobs/uploads/")).hasSize(BlobPusher.MAX_UPLOAD_SESSIONS);
    }

    @Test
    void aRefusedMountFallsBackToAnUploadInTheSessionTheRegistryOpened() {
        // a registry that will not mount answers the mount request as a plain upload start (202 + Location)
        registry.on("POST", "/v2/app/blobs/uploads/", accepted("/v2/app/blobs/uploads/fallback"))
                .on("PUT", "/v2/app/blobs/uploads/fallback", this::created);

        PushOutcome outcome = client.pushBlob(repo("app"), digest, BlobSource.of(blob), Optional.of(repo("base")),
                ProgressListener.NONE, NONE);

        assertThat(outcome).isEqualTo(PushOutcome.UPLOADED);
        RecordedRequest mount = registry.requests("POST", "/v2/app/blobs/uploads/").get(0);
        assertThat(mount.getUrl().queryParameter("mount")).isEqualTo(digest.toString());
        assertThat(mount.getUrl().queryParameter("from")).isEqualTo("base");
        assertThat(registry.requests("PUT", "/v2/app/blobs/uploads/fallback")).hasSize(1);
    }
}
