package io.gantry.registry;

import static io.gantry.registry.TestSupport.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults of a registry-to-registry copy ({@link RegistryClient#copy}) that a real registry does not
 * produce on demand, on {@link MockRegistry}: a {@code 202} without {@code Location}, an upload
 * whose {@code PUT} fails (a new session re-reads the source blob), a refused cross-repository
 * mount (the blob streams into the session the registry opened), and a source that sends a blob
 * with the wrong content (the copy fails with the source's error and no manifest is put). The
 * happy paths are in {@code cli.CliCopyTest} against the harness registry.
 */
class RegistryCopyFaultTest {

    private final byte[] layer = TestSupport.bytes(300_000, 7);
    private final Descriptor layerDescriptor = TestSupport.layer(layer);
    private final byte[] manifest = TestSupport.ociManifest(layerDescriptor);
    private final Digest manifestDigest = Digest.sha256(manifest);
    private MockRegistry source;
    private MockRegistry target;
    private RegistryClient client;

    @BeforeEach
    void start() throws IOException {
        source = new MockRegistry();
        target = new MockRegistry();
        client = RegistryClient.builder().sleeper((duration, cancellation) -> { }).build();
    }

    @AfterEach
    void stop() {
        source.close();
        target.close();
    }

    /** {@code registry} serves the image as {@code repository:1}: its manifest, config and layer. */
    private void serve(MockRegistry registry, String repository, byte[] layerBytes) {
        registry.on("GET", "/v2/" + repository + "/manifests/1", new MockResponse.Builder().code(200)
                .setHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                .setHeader("Docker-Content-Digest", manifestDigest.toString())
                .body(new Buffer().write(manifest)).build());
        registry.on("GET", "/v2/" + repository + "/blobs/" + TestSupport.configDescriptor().digest(),
                new MockResponse.Builder().code(200).body(new Buffer().write(TestSupport.CONFIG)).build());
        registry.on("GET", "/v2/" + repository + "/blobs/" + layerDescriptor.digest(),
                request -> new MockResponse.Builder().code(200).body(new Buffer().write(layerBytes)).build());
    }

    /** {@code registry} takes blobs into {@code repository}: one upload session each, checked by digest. */
    private void accept(MockRegistry registry, String repository) {
        registry.on("POST", "/v2/" + repository + "/blobs/uploads/", accepted("/v2/" + repository + "/blobs/uploads/s"));
        registry.on("PUT", "/v2/" + repository + "/blobs/uploads/s", RegistryCopyFaultTest::created);
        registry.on("PUT", "/v2/" + repository + "/manifests/1", new MockResponse.Builder().code(201)
                .setHeader("Docker-Content-Digest", manifestDigest.toString()).build());
    }

    private static MockResponse accepted(String location) {
        return new MockResponse.Builder().code(202).setHeader("Location", location).build();
    }

    /** 201 when the body hashes to the {@code digest} parameter, else 400 (as a registry checks). */
    private static MockResponse created(RecordedRequest request) {
        Optional<Digest> sent = Optional.ofNullable(request.getBody()).map(body -> Digest.sha256(body.toByteArray()));
        boolean whole = sent.map(Digest::toString).filter(d -> d.equals(request.getUrl().queryParameter("digest"))).isPresent();
        return new MockResponse.Builder().code(whole ? 201 : 400).build();
    }

    private ImageReference ref(MockRegistry registry, String repository) {
        return ImageReference.parse(registry.registry() + "/" + repository + ":1");
    }

    private Descriptor copy(ImageReference from, ImageReference to, List<CopyEvent> events) {
        return client.copy(from, to, Optional.empty(), events::add, NONE);
    }

    @Test
    void aStartedUploadWithoutLocationFailsTheCopyAndNoManifestIsPut() {
        serve(source, "app", layer);
        target.on("POST", "/v2/app/blobs/uploads/", new MockResponse.Builder().code(202).build());

        assertThatThrownBy(() -> copy(ref(source, "app"), ref(target, "app"), new ArrayList<>()))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                    assertThat(e.getMessage()).contains("without an upload location").doesNotContain("Exception");
                });
        assertThat(target.requests().stream().filter(r -> r.getMethod().equals("PUT"))).isEmpty();
    }

    @Test
    void aFailedPutStartsANewSessionThatReadsTheSourceAgainAndTheManifestKeepsItsBytes() {
        serve(source, "app", layer);
        // the layer's first PUT fails (whichever blob's upload starts first: blobs go several at once)
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        String layerDigest = layerDescriptor.digest().toString();
        target.on("POST", "/v2/team/app/blobs/uploads/", accepted("/v2/team/app/blobs/uploads/s"))
                .on("PUT", "/v2/team/app/blobs/uploads/s", request -> layerDigest.equals(request.getUrl().queryParameter("digest"))
                        && failed.compareAndSet(false, true) ? new MockResponse.Builder().code(503).build() : created(request))
                .on("PUT", "/v2/team/app/manifests/1", new MockResponse.Builder().code(201)
                        .setHeader("Docker-Content-Digest", manifestDigest.toString()).build());
        List<CopyEvent> events = new ArrayList<>();

        Descriptor copied = copy(ref(source, "app"), ref(target, "team/app"), events);

        assertThat(copied.digest()).isEqualTo(manifestDigest);
        assertThat(failed).as("the layer's first PUT was refused").isTrue();
        String layerPath = "/v2/app/blobs/" + layerDescriptor.digest();
        assertThat(source.requests("GET", layerPath)).as("one download per upload session").hasSize(2);
        assertThat(target.requests("PUT", "/v2/team/app/blobs/uploads/s")).extracting(r -> r.getUrl().queryParameter("digest"))
                .as("the layer twice (the second session succeeds), the config once")
                .containsExactlyInAnyOrder(layerDigest, layerDigest, TestSupport.configDescriptor().digest().toString());
        RecordedRequest put = target.requests("PUT", "/v2/team/app/manifests/1").get(0);
        assertThat(put.getBody().toByteArray()).isEqualTo(manifest);
        assertThat(events).filteredOn(e -> e.blob().equals(layerDescriptor)).extracting(CopyEvent::step)
                .startsWith(CopyEvent.Step.PREPARING).endsWith(CopyEvent.Step.PUSHED);
    }

    @Test
    void aRefusedMountStreamsTheBlobIntoTheSessionTheRegistryOpened() {
        serve(source, "base", layer);
        // a registry that will not mount answers the mount request as a plain upload start (202 + Location)
        accept(source, "app");

        copy(ref(source, "base"), ref(source, "app"), new ArrayList<>());

        List<RecordedRequest> starts = source.requests("POST", "/v2/app/blobs/uploads/");
        assertThat(starts).isNotEmpty().allSatisfy(start -> assertThat(start.getUrl().queryParameter("from")).isEqualTo("base"));
        // blobs go several at once: the layer's mount is one of the starts, not necessarily the first
        assertThat(starts).anySatisfy(start ->
                assertThat(start.getUrl().queryParameter("mount")).isEqualTo(layerDescriptor.digest().toString()));
        assertThat(source.requests("PUT", "/v2/app/blobs/uploads/s"))
                .anySatisfy(put -> assertThat(put.getBody().toByteArray()).isEqualTo(layer));
        assertThat(source.requests("PUT", "/v2/app/manifests/1")).hasSize(1);
    }

    @Test
    void aSourceBlobWithWrongContentFailsTheCopyWithTheSourcesErrorAndNoManifestIsPut() {
        byte[] wrong = layer.clone();
        wrong[1000] ^= 1;
        serve(source, "app", wrong);
        accept(target, "app");

        assertThatThrownBy(() -> copy(ref(source, "app"), ref(target, "app"), new ArrayList<>()))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_CONTENT);
                    assertThat(e.getMessage()).contains(layerDescriptor.digest().toString()).doesNotContain("Exception");
                });
        assertThat(target.requests("PUT", "/v2/app/blobs/uploads/s")).allSatisfy(put ->
                assertThat(Digest.sha256(put.getBody().toByteArray())).isNotEqualTo(layerDescriptor.digest()));
        assertThat(target.requests("PUT", "/v2/app/manifests/1")).isEmpty();
    }
}
