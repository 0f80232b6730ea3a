package io.gantry.registry;

import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * Pushes one blob (Jib's {@code BlobPusher}): skip it when the repository has it; else try a
 * cross-repository mount when a source repository in the same registry is named
 * ({@code POST …/blobs/uploads/?mount=<digest>&from=<repo>}); else a monolithic upload
 * ({@code POST …/blobs/uploads/} for a location, then {@code PUT <location>?digest=…} with the
 * bytes). Each step runs through the {@link RegistryCaller}; an upload whose connection drops
 * starts over with a new session, at most {@link #MAX_UPLOAD_SESSIONS} times.
 */
final class BlobPusher {

    static final int MAX_UPLOAD_SESSIONS = 3;

    private final RegistryCaller caller;

    BlobPusher(RegistryCaller caller) {
        this.caller = caller;
    }

    PushOutcome push(Repository target, Digest digest, BlobSource source, Optional<Repository> mountFrom,
                 ProgressListener progress, Cancellation cancellation) {
        String registry = target.registry();
        if (caller.call(registry, new BlobChecker(target, digest, true), cancellation).isPresent()) {
            return PushOutcome.EXISTED; // no progress: nothing is sent
        }
        Optional<Repository> sameRegistrySource = mountFrom.filter(r -> r.registry().equals(registry) && !r.equals(target));
        for (int session = 1; ; session++) {
            StartUpload.Result started = caller.call(registry, new StartUpload(target, digest, sameRegistrySource), cancellation);
            if (started.mounted()) {
                return PushOutcome.MOUNTED;
            }
            try {
                caller.call(registry, new PutUpload(target, digest, started.location().orElseThrow(), source, progress),
                        cancellation);
                return PushOutcome.UPLOADED;
            } catch (GantryException e) {
                if (e.kind() != ErrorKind.UNAVAILABLE || session >= MAX_UPLOAD_SESSIONS) {
                    throw e;
                }
                sameRegistrySource = Optional.empty();
            }
        }
    }

    /**
     * Whether {@code target} has the blob after at most a mount from {@code source}, without
     * uploading. A refused mount leaves an unused upload session, which registries expire.
     */
    boolean existsOrMount(Repository target, Digest digest, Repository source, Cancellation cancellation) {
        String registry = target.registry();
        if (caller.call(registry, new BlobChecker(target, digest, true), cancellation).isPresent()) {
            return true;
        }
        return !source.equals(target)
                && caller.call(registry, new StartUpload(target, digest, Optional.of(source)), cancellation).mounted();
    }

    /** {@code POST /v2/<name>/blobs/uploads/}, with mount parameters when mounting. */
    static final class StartUpload implements RegistryEndpoint<StartUpload.Result> {

        /** Either mounted (201) or an upload location (202). */
        record Result(boolean mounted, Optional<HttpUrl> location) {
        }

        private final Repository target;
        private final Digest digest;
        private final Optional<Repository> mountFrom;

        StartUpload(Repository target, Digest digest, Optional<Repository> mountFrom) {
            this.target = target;
            this.digest = digest;
            this.mountFrom = mountFrom;
        }

        @Override
        public String description() {
            return mountFrom.map(from -> "mount blob " + digest + " from " + from + " into " + target)
                    .orElse("start upload of blob " + digest + " to " + target);
        }

        @Override
        public Request request(HttpUrl base) {
            HttpUrl.Builder url = Urls.repositoryUrl(base, target, "blobs/uploads/");
            mountFrom.ifPresent(from -> url.addQueryParameter("mount", digest.toString())
                    .addQueryParameter("from", from.path()));
            return new Request.Builder().url(url.build()).post(RequestBody.create(new byte[0], null)).build();
        }

        @Override
        public List<Scope> scopes() {
            List<Scope> scopes = new ArrayList<>();
            scopes.add(Scope.push(target));
            mountFrom.ifPresent(from -> scopes.add(Scope.pull(from)));
            return scopes;
        }

        @Override
        public Result handle(Response response) {
            if (response.code() == 201) {
                return new Result(true, Optional.empty());
            }
            Optional<HttpUrl> location = Urls.location(response);
            if (response.code() != 202 || location.isEmpty()) {
                throw new GantryException(ErrorKind.BAD_CONTENT, description(),
                        "the registry answered HTTP " + response.code() + " without an upload location");
            }
            return new Result(false, location);
        }
    }

    /** {@code PUT <location>?digest=<digest>} with the whole blob: a monolithic upload. */
    static final class PutUpload implements RegistryEndpoint<Void> {

        private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

        private final Repository target;
        private final Digest digest;
        private final HttpUrl location;
        private final BlobSource source;
        private final ProgressListener progress;

        PutUpload(Repository target, Digest digest, HttpUrl location, BlobSource source, ProgressListener progress) {
            this.target = target;
            this.digest = digest;
            this.location = location;
            this.source = source;
            this.progress = progress;
        }

        @Override
        public String description() {
            return "upload blob " + digest + " to " + target;
        }

        @Override
        public Request request(HttpUrl base) {
            HttpUrl url = location.newBuilder().addQueryParameter("digest", digest.toString()).build();
            return new Request.Builder().url(url).put(new SourceBody()).build();
        }

        @Override
        public List<Scope> scopes() {
            return List.of(Scope.push(target));
        }

        @Override
        public boolean idempotent() {
            return false;
        }

        @Override
        public boolean streaming() {
            return true;
        }

        @Override
        public Void handle(Response response) {
            return null;
        }

        /** Streams the source, reporting progress. */
        private final class SourceBody extends RequestBody {

            @Override
            public MediaType contentType() {
                return OCTET_STREAM;
            }

            @Override
            public long contentLength() {
                return source.size();
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                byte[] buffer = new byte[256 * 1024];
                long sent = 0;
                try (InputStream in = source.open()) {
                    int n;
                    while ((n = in.read(buffer)) != -1) {
                        sink.write(buffer, 0, n);
                        sent += n;
                        progress.progress(sent, source.size());
                    }
                }
            }
        }
    }
}
