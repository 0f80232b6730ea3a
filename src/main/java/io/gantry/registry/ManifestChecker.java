package io.gantry.registry;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ImageReference;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code HEAD /v2/<name>/manifests/<tag|digest>}: what a tag points at now (media type, digest,
 * size) without downloading it, e.g. to check for updates. Empty when the manifest does not
 * exist; also empty digest when the registry sends no {@code Docker-Content-Digest} (the client
 * then falls back to GET).
 */
final class ManifestChecker implements RegistryEndpoint<Optional<ManifestChecker.Head>> {

    /** What a HEAD told: the digest only if the registry sent it. */
    record Head(String mediaType, Optional<Digest> digest, long size) {

        Optional<Descriptor> descriptor() {
            return digest.map(d -> Descriptor.of(mediaType, d, size));
        }
    }

    private final ImageReference reference;

    ManifestChecker(ImageReference reference) {
        this.reference = reference;
    }

    @Override
    public String description() {
        return "check manifest " + reference;
    }

    @Override
    public Request request(HttpUrl base) {
        HttpUrl url = Urls.repositoryUrl(base, reference.repo(), "manifests")
                .addPathSegment(reference.manifestReference()).build();
        return new Request.Builder().url(url).head().header("Accept", ManifestPuller.acceptHeader()).build();
    }

    @Override
    public List<Scope> scopes() {
        return List.of(Scope.pull(reference.repo()));
    }

    @Override
    public boolean handles(int status) {
        return status == 200 || status == 404;
    }

    @Override
    public Optional<Head> handle(Response response) {
        if (response.code() == 404) {
            return Optional.empty();
        }
        String contentType = Optional.ofNullable(response.header("Content-Type"))
                .map(t -> t.split(";", 2)[0].trim()).orElse("");
        String header = response.header("Docker-Content-Digest");
        Optional<Digest> digest = header != null && Digest.isDigest(header.trim())
                ? Optional.of(Digest.of(header.trim())) : reference.digest();
        long size = parseLong(response.header("Content-Length"));
        if (size < 0) {
            digest = Optional.empty();
        }
        return Optional.of(new Head(contentType, digest, Math.max(size, 0)));
    }

    private static long parseLong(String value) {
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
