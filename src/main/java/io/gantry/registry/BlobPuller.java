package io.gantry.registry;

import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.Repository;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * {@code GET /v2/<name>/blobs/<digest>}: streams a blob into a {@link BlobSink}, hashing and
 * counting on the fly (Jib's {@code BlobPuller}). Only when the size and digest match the
 * descriptor does it commit the sink; a blob that is too long or hashes wrong fails with
 * {@link ErrorKind#BAD_CONTENT} and the caller aborts the sink.
 *
 * <p>When the connection drops mid-blob, the caller retries and this endpoint asks for the rest
 * with {@code Range: bytes=<received>-}, continuing the same hash; a registry that answers 200
 * instead of 206 sends it all again, and the download restarts from byte 0.
 *
 * <p>One instance per download: it holds the progress.
 */
final class BlobPuller implements RegistryEndpoint<Digest> {

    /** Big reads keep per-chunk costs (hash call, write syscall, progress) small. */
    private static final int BUFFER_BYTES = 256 * 1024;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    private final Repository repository;
    private final Descriptor blob;
    private final BlobSink sink;
    private final ProgressListener progress;
    private final MessageDigest hasher;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private long received;

    BlobPuller(Repository repository, Descriptor blob, BlobSink sink, ProgressListener progress) {
        this.repository = repository;
        this.blob = blob;
        this.sink = sink;
        this.progress = progress;
        this.hasher = Digests.hasher(blob.digest().algorithm());
    }

    @Override
    public String description() {
        return "pull blob " + blob.digest() + " from " + repository;
    }

    @Override
    public Request request(HttpUrl base) {
        HttpUrl url = Urls.repositoryUrl(base, repository, "blobs").addPathSegment(blob.digest().toString()).build();
        Request.Builder request = new Request.Builder().url(url).get();
        if (received > 0) {
            request.header("Range", "bytes=" + received + "-");
        }
        return request.build();
    }

    @Override
    public List<Scope> scopes() {
        return List.of(Scope.pull(repository));
    }

    @Override
    public boolean streaming() {
        return true;
    }

    @Override
    public boolean handles(int status) {
        return status == 200 || status == 206;
    }

    @Override
    public Digest handle(Response response) throws IOException {
        long start = response.code() == 206 ? rangeStart(response.header("Content-Range")) : 0;
        if (start != received) {
            restart();
            if (start != 0) {
                throw new IOException("the registry resumed at byte " + start + " instead of " + received);
            }
        }
        long size = blob.size();
        BufferedSource source = response.body().source();
        while (true) {
            int filled = 0;
            int n = 0;
            while (filled < buffer.length && (n = source.read(buffer, filled, buffer.length - filled)) != -1) {
                filled += n;
            }
            if (filled > 0) {
                if (received + filled > size) {
                    throw new GantryException(ErrorKind.BAD_CONTENT, description(),
                            "the registry sent more than the " + size + " bytes the manifest declares", "SIZE_INVALID",
                            0, null, null);
                }
                hasher.update(buffer, 0, filled);
                writeToSink(filled);
                received += filled;
                progress.progress(received, size);
            }
            if (n == -1) {
                break;
            }
        }
        if (received < size) {
            throw new IOException("the blob ended after " + received + " of " + size + " bytes");
        }
        Digest actual = Digests.result(blob.digest().algorithm(), hasher);
        if (!actual.equals(blob.digest())) {
            throw ManifestPuller.mismatch(description(), blob.digest(), actual);
        }
        try {
            sink.commit();
        } catch (IOException e) {
            throw storageError(e);
        }
        return actual;
    }

    private void writeToSink(int length) {
        try {
            sink.write(buffer, 0, length);
        } catch (IOException e) {
            throw storageError(e);
        }
    }

    private void restart() {
        try {
            sink.restart();
        } catch (IOException e) {
            throw storageError(e);
        }
        hasher.reset();
        received = 0;
        progress.progress(0, blob.size());
    }

    private GantryException storageError(IOException e) {
        return new GantryException(ErrorKind.STORAGE, description(), "cannot store the blob: " + e.getMessage(), e);
    }

    private static long rangeStart(String contentRange) {
        if (contentRange == null) {
            return -1;
        }
        Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
