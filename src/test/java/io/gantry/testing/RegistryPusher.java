package io.gantry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Pushes fixture images to a test registry over the distribution API, the plain way: {@code HEAD}
 * each blob and skip those present, otherwise {@code POST} an upload and {@code PUT} the bytes with
 * their digest; then {@code PUT} the manifest with its media type as Content-Type. An index's
 * images are pushed by digest first, then the index by tag.
 *
 * <p>Test infrastructure only, deliberately independent of Gantry's own registry client, so that
 * client can be tested against images this class put there. Sends basic credentials
 * preemptively when it has them. Any unexpected status fails with the registry's answer.
 */
public final class RegistryPusher {

    /** What one push did. {@code uploaded} and {@code skipped} are blob digests. */
    public record Pushed(String reference, String repository, String tag, String digest, List<String> uploaded,
            List<String> skipped) {
    }

    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    private final OkHttpClient http;
    private final HttpUrl base;
    private final Optional<Credentials> credentials;

    public RegistryPusher(OkHttpClient http, String baseUrl, Optional<Credentials> credentials) {
        this.http = http;
        this.base = HttpUrl.get(baseUrl);
        this.credentials = credentials;
    }

    /** Pushes {@code image} to its own repository and tag. */
    public Pushed push(FixtureImage image) {
        return push(image, image.repository(), image.tag());
    }

    /** Pushes {@code image} as {@code repository:tag}. */
    public Pushed push(FixtureImage image, String repository, String tag) {
        List<String> uploaded = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        pushBlobs(image, repository, uploaded, skipped);
        String digest = putManifest(repository, tag, image.manifest());
        return new Pushed(reference(repository, tag), repository, tag, digest, uploaded, skipped);
    }

    /** Pushes each image of {@code index} by digest, then the index under its tag. */
    public Pushed push(FixtureIndex index) {
        List<String> uploaded = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (FixtureImage image : index.images()) {
            pushBlobs(image, index.repository(), uploaded, skipped);
            Blob manifest = image.manifest();
            putManifest(index.repository(), manifest.digest(), manifest);
        }
        String digest = putManifest(index.repository(), index.tag(), index.manifest());
        return new Pushed(reference(index.repository(), index.tag()), index.repository(), index.tag(), digest,
                uploaded, skipped);
    }

    private void pushBlobs(FixtureImage image, String repository, List<String> uploaded, List<String> skipped) {
        Map<String, Blob> blobs = new LinkedHashMap<>();
        image.layerBlobs().forEach(blob -> blobs.putIfAbsent(blob.digest(), blob));
        Blob config = image.configBlob();
        blobs.putIfAbsent(config.digest(), config);
        for (Blob blob : blobs.values()) {
            if (pushBlob(repository, blob)) {
                uploaded.add(blob.digest());
            } else {
                skipped.add(blob.digest());
            }
        }
    }

    /** Uploads {@code blob} unless the repository has it; true when it was uploaded. */
    public boolean pushBlob(String repository, Blob blob) {
        if (blobExists(repository, blob.digest())) {
            return false;
        }
        HttpUrl start = url("/v2/" + repository + "/blobs/uploads/");
        String location;
        try (Response response = call(new Request.Builder().url(start).post(RequestBody.create(new byte[0], null)))) {
            expect(response, 202, "start a blob upload");
            location = response.header("Location");
            if (location == null) {
                throw new AssertionError("the registry started an upload without a Location header: " + response);
            }
        }
        HttpUrl finish = start.resolve(location).newBuilder().addQueryParameter("digest", blob.digest()).build();
        try (Response response = call(new Request.Builder().url(finish)
                .put(RequestBody.create(blob.bytes(), OCTET_STREAM)))) {
            expect(response, 201, "upload blob " + blob.digest());
        }
        return true;
    }

    /** Whether {@code HEAD /v2/<repository>/blobs/<digest>} answers 200. */
    public boolean blobExists(String repository, String digest) {
        try (Response response = call(new Request.Builder().url(url("/v2/" + repository + "/blobs/" + digest)).head())) {
            if (response.code() == 200) {
                return true;
            }
            expect(response, 404, "check blob " + digest);
            return false;
        }
    }

    /** Puts {@code manifest} under {@code reference} (a tag or its digest); returns the digest the registry reports. */
    public String putManifest(String repository, String reference, Blob manifest) {
        Request.Builder request = new Request.Builder().url(url("/v2/" + repository + "/manifests/" + reference))
                .put(RequestBody.create(manifest.bytes(), MediaType.get(manifest.mediaType())));
        try (Response response = call(request)) {
            expect(response, 201, "put manifest " + repository + ":" + reference);
            String digest = response.header("Docker-Content-Digest");
            if (digest != null && !digest.equals(manifest.digest())) {
                throw new AssertionError("the registry stored manifest " + manifest.digest() + " as " + digest);
            }
            return manifest.digest();
        }
    }

    private String reference(String repository, String tag) {
        return base.host() + ":" + base.port() + "/" + repository + ":" + tag;
    }

    private HttpUrl url(String path) {
        return base.resolve(path);
    }

    private Response call(Request.Builder request) {
        credentials.ifPresent(c -> request.header("Authorization", c.basicAuthorization()));
        Request built = request.build();
        try {
            return http.newCall(built).execute();
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.url() + " failed", e);
        }
    }

    private static void expect(Response response, int status, String what) {
        if (response.code() != status) {
            String body;
            try {
                body = response.body().string();
            } catch (IOException e) {
                body = "(unreadable body: " + e.getMessage() + ")";
            }
            throw new AssertionError("cannot " + what + ": " + response.request().method() + " "
                    + response.request().url() + " answered " + response.code() + " (expected " + status + ")\n"
                    + body);
        }
    }
}
