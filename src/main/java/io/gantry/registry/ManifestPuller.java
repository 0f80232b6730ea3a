package io.gantry.registry;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.ManifestContent;
import io.gantry.core.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code GET /v2/<name>/manifests/<tag|digest>}: fetches a manifest or index, hashes the raw
 * bytes, checks them against the digest asked for (when fetched by digest) and against the
 * registry's {@code Docker-Content-Digest}, and parses them (Jib's {@code ManifestPuller}).
 */
final class ManifestPuller implements RegistryEndpoint<FetchedManifest> {

    /** The largest manifest accepted (containerd's limit). */
    static final long MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** {@link GantryException#code()} when content does not hash to the digest it should. */
    static final String DIGEST_MISMATCH = "DIGEST_MISMATCH";

    private final ImageReference reference;

    ManifestPuller(ImageReference reference) {
        this.reference = reference;
    }

    /** The four supported types, plus schema 1 so that legacy images get a clear error rather than a 404. */
    static String acceptHeader() {
        List<String> types = new ArrayList<>(MediaTypes.MANIFEST_TYPES);
        types.add(MediaTypes.DOCKER_SCHEMA1_SIGNED_MANIFEST);
        return String.join(", ", types);
    }

    @Override
    public String description() {
        return "pull manifest " + reference;
    }

    @Override
    public Request request(HttpUrl base) {
        HttpUrl url = Urls.repositoryUrl(base, reference.repo(), "manifests")
                .addPathSegment(reference.manifestReference()).build();
        return new Request.Builder().url(url).get().header("Accept", acceptHeader()).build();
    }

    @Override
    public List<Scope> scopes() {
        return List.of(Scope.pull(reference.repo()));
    }

    @Override
    public FetchedManifest handle(Response response) throws IOException {
        byte[] bytes = Bodies.readLimited(response.body(), MAX_MANIFEST_BYTES, description(), "manifest");
        Digest digest = verify(bytes, response.header("Docker-Content-Digest"));
        ManifestContent content = ManifestCodec.parse(bytes, Optional.ofNullable(response.header("Content-Type")),
                description());
        return new FetchedManifest(reference, digest, content.mediaType(), bytes, content);
    }

    /**
     * The digest of {@code bytes}, after checking it against the digest in the reference (which
     * must match) and the registry's header (which must match when present and well-formed).
     */
    private Digest verify(byte[] bytes, String headerValue) {
        Digest computed = Digests.of("sha256", bytes);
        if (reference.digest().isPresent()) {
            Digest wanted = reference.digest().get();
            Digest actual = wanted.algorithm().equals("sha256") ? computed : Digests.of(wanted.algorithm(), bytes);
            if (!actual.equals(wanted)) {
                throw mismatch(description(), wanted, actual);
            }
            return wanted;
        }
        if (headerValue != null && Digest.isDigest(headerValue.trim())) {
            Digest announced = Digest.of(headerValue.trim());
            Digest actual = announced.algorithm().equals("sha256") ? computed : Digests.of(announced.algorithm(), bytes);
            if (!actual.equals(announced)) {
                throw mismatch(description(), announced, actual);
            }
        }
        return computed;
    }

    static GantryException mismatch(String operation, Digest expected, Digest actual) {
        return new GantryException(ErrorKind.BAD_CONTENT, operation,
                "content does not match its digest: expected " + expected + ", got " + actual, DIGEST_MISMATCH, 0,
                "The registry or a proxy on the way served corrupt data; try again, and report it if it persists.",
                null);
    }
}
