package io.gantry.engine.containerd;

import com.google.common.util.concurrent.ListenableFuture;
import io.gantry.core.Cancellation;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.NodePullProgress;
import io.gantry.engine.NodePullResult;
import io.gantry.engine.RegistryLogin;
import io.gantry.engine.containerd.api.content.ContentGrpc;
import io.gantry.engine.containerd.api.content.ListStatusesRequest;
import io.gantry.engine.containerd.api.content.Status;
import io.gantry.engine.containerd.api.cri.AuthConfig;
import io.gantry.engine.containerd.api.cri.ImageServiceGrpc;
import io.gantry.engine.containerd.api.cri.ImageSpec;
import io.gantry.engine.containerd.api.cri.PullImageRequest;
import io.gantry.engine.containerd.api.cri.PullImageResponse;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls onto a Kubernetes node through the CRI plugin: {@code runtime.v1.ImageService/PullImage},
 * as the kubelet pulls, into the {@code k8s.io} namespace, unpacked by the runtime. The user's
 * credentials for the image's registry become the CRI's {@link AuthConfig} ({@link #authFor});
 * the secret goes only into that message, never into a log or an error.
 *
 * <p>The CRI answers only when the pull is over, so while it runs the content store's ingests in
 * the namespace ({@code Content/ListStatuses}) are polled twice a second: what arrives there is
 * the only progress there is to see (see {@link NodePullProgress}).
 */
final class CriPulls {

    private static final Logger LOG = LoggerFactory.getLogger(CriPulls.class);
    /** The namespace the CRI plugin keeps its images in. */
    static final String CRI_NAMESPACE = "k8s.io";
    /** A whole pull, download and unpack, must be over within this. */
    private static final Duration PULL = Duration.ofMinutes(30);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STATUS_CALL = Duration.ofSeconds(10);

    private final ContainerdConnection connection;
    private final EngineCredentials credentials;

    CriPulls(ContainerdConnection connection, EngineCredentials credentials) {
        this.connection = connection;
        this.credentials = credentials;
    }

    /**
     * The CRI's {@link AuthConfig} for a pull of {@code image} with {@code login}: user name and
     * password (or an identity token), and {@code server_address} as containerd 1.6 compares it: it
     * parses the address as a URL and uses the credentials only when the URL's host is the host
     * the request goes to. A bare {@code host:port} does not parse as one (the pull fails), a bare
     * host parses as a path (the login would be ignored), and Docker Hub's credentials key
     * {@code https://index.docker.io/v1/} names another host than the API's
     * {@code registry-1.docker.io}: so the address is {@code https://} and the API host (only the
     * host is compared; a plain-HTTP registry gets the same form). Empty without a login.
     */
    static AuthConfig authFor(ImageReference image, Optional<RegistryLogin> login) {
        if (login.isEmpty()) {
            return AuthConfig.getDefaultInstance();
        }
        RegistryLogin l = login.get();
        AuthConfig.Builder auth = AuthConfig.newBuilder().setServerAddress("https://" + image.registryApiHost());
        if (l.identityToken().isPresent()) {
            return auth.setIdentityToken(l.identityToken().get()).build();
        }
        return auth.setUsername(l.username()).setPassword(l.password()).build();
    }

    NodePullResult pull(ImageReference image, Consumer<NodePullProgress> progress, Cancellation cancellation) {
        String reference = image.toString();
        String op = "pull " + image.familiar() + " onto the node (CRI)";
        cancellation.throwIfCancelled(op);
        Optional<RegistryLogin> login = credentials.loginFor(image.registry());
        PullImageRequest request = PullImageRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(reference))
                .setAuth(authFor(image, login)).build();
        long started = System.nanoTime();
        ListenableFuture<PullImageResponse> call = connection.bind(
                ImageServiceGrpc.newFutureStub(connection.channel()), CRI_NAMESPACE, PULL).pullImage(request);
        Map<String, Long> seen = new HashMap<>();
        try (Cancellation.Registration hook = cancellation.onCancel(() -> call.cancel(true))) {
            while (true) {
                try {
                    PullImageResponse answer = call.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    int active = look(seen);
                    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                    progress.accept(new NodePullProgress(elapsed, total(seen), active));
                    return new NodePullResult(reference, answer.getImageRef(), total(seen), elapsed);
                } catch (TimeoutException stillRunning) {
                    int active = look(seen);
                    progress.accept(new NodePullProgress(Duration.ofNanos(System.nanoTime() - started),
                            total(seen), active));
                }
            }
        } catch (CancellationException e) {
            throw new GantryException(ErrorKind.CANCELLED, op, "cancelled", e);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.CANCELLED, op, "interrupted", e);
        } catch (ExecutionException e) {
            if (cancellation.isCancelled()) {
                throw new GantryException(ErrorKind.CANCELLED, op, "cancelled", e.getCause());
            }
            if (e.getCause() instanceof StatusRuntimeException failed) {
                throw failure(op, image, login, failed);
            }
            throw new GantryException(ErrorKind.INTERNAL, op, "the pull failed", e.getCause());
        }
    }

    /**
     * The CRI reports every failure of the pull itself (a login refused, a name the registry does not
     * have) as {@code UNKNOWN} with the runtime's text; that text is kept as the message, and the
     * action says which login Gantry sent, from what Gantry knows, not from the text.
     */
    private GantryException failure(String op, ImageReference image, Optional<RegistryLogin> login,
                                     StatusRuntimeException failed) {
        GantryException mapped = connection.failure(op, failed);
        if (failed.getStatus().getCode() != io.grpc.Status.Code.UNKNOWN) {
            return mapped;
        }
        String host = image.registry();
        String action = login.isPresent()
                ? "Gantry sent the login for " + host + " from your Docker config"
                + (login.get().username().isEmpty() ? " (an identity token)" : " (user " + login.get().username() + ")")
                + "; if the registry refused it, log in again (docker login " + host + ")."
                : "Your Docker config has no login for " + host + ", so the node pulled anonymously; if the "
                + "registry needs one: docker login " + host + ", then pull again.";
        return new GantryException(ErrorKind.INTERNAL, op, mapped.getMessage(), "UNKNOWN", 0, action, failed);
    }

    /** Records the furthest offset of each ingest in progress; returns how many there are. */
    private int look(Map<String, Long> seen) {
        List<Status> statuses;
        try {
            statuses = connection.bind(ContentGrpc.newBlockingStub(connection.channel()), CRI_NAMESPACE, STATUS_CALL)
                    .listStatuses(ListStatusesRequest.getDefaultInstance()).getStatusesList();
        } catch (StatusRuntimeException e) {
            LOG.debug("no look at the content store's ingests: {}", e.getStatus().getCode());
            return 0;
        }
        for (Status status : statuses) {
            seen.merge(status.getRef(), status.getOffset(), Math::max);
        }
        return statuses.size();
    }

    private static long total(Map<String, Long> seen) {
        return seen.values().stream().mapToLong(Long::longValue).sum();
    }
}
