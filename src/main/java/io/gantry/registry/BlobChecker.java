package io.gantry.registry;

import io.gantry.core.Digest;
import io.gantry.core.Repository;
import java.util.List;
import java.util.OptionalLong;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code HEAD /v2/<name>/blobs/<digest>}: whether the repository has a blob, and its size, so a
 * push can skip it.
 */
final class BlobChecker implements RegistryEndpoint<OptionalLong> {

    private final Repository repository;
    private final Digest digest;
    private final boolean forPush;

    /** @param forPush whether to ask for a push token (a push checks first, with the token it uploads with) */
    BlobChecker(Repository repository, Digest digest, boolean forPush) {
        this.repository = repository;
        this.digest = digest;
        this.forPush = forPush;
    }

    @Override
    public String description() {
        return "check blob " + digest + " in " + repository;
    }

    @Override
    public Request request(HttpUrl base) {
        return new Request.Builder()
                .url(Urls.repositoryUrl(base, repository, "blobs").addPathSegment(digest.toString()).build())
                .head().build();
    }

    @Override
    public List<Scope> scopes() {
        return List.of(forPush ? Scope.push(repository) : Scope.pull(repository));
    }

    @Override
    public boolean handles(int status) {
        return status == 200 || status == 404;
    }

    @Override
    public OptionalLong handle(Response response) {
        if (response.code() == 404) {
            return OptionalLong.empty();
        }
        String length = response.header("Content-Length");
        try {
            return OptionalLong.of(length == null ? 0 : Long.parseLong(length.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.of(0);
        }
    }
}
