package io.gantry.registry;

import io.gantry.core.Digest;
import io.gantry.core.ImageReference;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@code PUT /v2/<name>/manifests/<tag|digest>}: stores a manifest or index under a tag (or by
 * digest). The blobs it references must be in the repository already. Returns the digest of the
 * bytes sent, which is what the registry stores them under.
 */
final class ManifestPusher implements RegistryEndpoint<Digest> {

    private final ImageReference target;
    private final String mediaType;
    private final byte[] bytes;

    ManifestPusher(ImageReference target, String mediaType, byte[] bytes) {
        this.target = target;
        this.mediaType = mediaType;
        this.bytes = bytes.clone();
        Digest sent = Digests.of("sha256", this.bytes);
        target.digest().filter(d -> !d.equals(sent)).ifPresent(d -> {
            throw ManifestPuller.mismatch(description(), d, sent);
        });
    }

    @Override
    public String description() {
        return "push manifest " + target;
    }

    @Override
    public Request request(HttpUrl base) {
        HttpUrl url = Urls.repositoryUrl(base, target.repo(), "manifests")
                .addPathSegment(target.manifestReference()).build();
        return new Request.Builder().url(url).put(RequestBody.create(bytes, MediaType.get(mediaType))).build();
    }

    @Override
    public List<Scope> scopes() {
        return List.of(Scope.push(target.repo()));
    }

    @Override
    public Digest handle(Response response) {
        return Digests.of("sha256", bytes);
    }
}
