package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullRequest;
import io.gantry.engine.PullResult;
import io.gantry.engine.RegistryLogin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A pull through the engine: {@code POST /images/create}'s progress stream read into the port's
 * progress events, with the registry login the engine needs ({@code X-Registry-Auth}), cancellable.
 */
final class EnginePulls {

    private final DockerEngineStore store;
    private final EngineApi api;
    private final ObjectMapper json;
    private final EngineCredentials credentials;
    /** The longest a pull's progress may stand still. */
    private final Duration idle;

    EnginePulls(DockerEngineStore store, EngineApi api, ObjectMapper json, EngineCredentials credentials,
                Duration idle) {
        this.store = store;
        this.api = api;
        this.json = json;
        this.credentials = credentials;
        this.idle = idle;
    }

    PullResult pull(PullRequest request, Consumer<PullProgress> progress, Cancellation cancellation) {
        ImageReference reference = request.reference();
        String wanted = reference.familiar();
        String op = "pull " + wanted + " to " + store.name();
        String tagOrDigest = reference.digest().map(Digest::toString).orElseGet(() -> reference.tag().orElseThrow());
        StringBuilder path = new StringBuilder("/images/create?fromImage=").append(EngineApi.query(reference.familiarName()))
                .append("&tag=").append(EngineApi.query(tagOrDigest));
        request.platform().ifPresent(p -> path.append("&platform=").append(EngineApi.query(p.toString())));
        Map<String, String> headers = new HashMap<>();
        credentials.loginFor(reference.registry()).ifPresent(login -> headers.put("X-Registry-Auth", registryAuth(login)));

        Optional<Digest> before = imageIdIfPresent(wanted);
        AtomicBoolean cancelled = new AtomicBoolean();
        try (EngineApi.Response response = api.send(op, "POST", path.toString(), headers, null,
                EngineApi.Speed.STREAM);
             Cancellation.Registration hook = cancellation.onCancel(() -> {
                 cancelled.set(true);
                 response.close();
             })) {
            readPullStream(op, response, progress, cancelled);
        } catch (GantryException e) {
            throw cancelled.get() ? cancelledError(op) : e;
        } catch (Exception e) {
            throw cancelled.get() ? cancelledError(op) : api.unavailable(op, e);
        }
        if (cancelled.get()) {
            throw cancelledError(op);
        }
        ImageDetails pulled = store.inspect(wanted);
        Optional<Digest> digest = reference.digest().or(() -> pulled.repoDigests().stream()
                .map(EnginePulls::parseQuietly).flatMap(Optional::stream)
                .filter(p -> p.name().equals(reference.name()))
                .flatMap(p -> p.digest().stream()).findFirst());
        return new PullResult(wanted, pulled.id(), digest, before.filter(pulled.id()::equals).isPresent());
    }

    /** A reference the engine reported, if it parses (an engine may know names Gantry would refuse). */
    private static Optional<ImageReference> parseQuietly(String reference) {
        try {
            return Optional.of(ImageReference.parse(reference));
        } catch (GantryException e) {
            return Optional.empty();
        }
    }

    private void readPullStream(String op, EngineApi.Response response, Consumer<PullProgress> progress,
                                AtomicBoolean cancelled) throws IOException {
        PullStreamGuard guard = new PullStreamGuard(op, idle, System::nanoTime);
        JsonMessages.read(json, response.messages(), cancelled::get, "pull failed", error -> {
            if (error.code() > 0) {
                return api.statusError(op, error.code(), error.message());
            }
            // dockerd reports an index without the platform asked for in the stream, with
            // no status code; it is the same "not found" the embedded store reports
            return new GantryException(error.message().startsWith("no matching manifest for") ? ErrorKind.NOT_FOUND
                    : ErrorKind.INTERNAL, op, error.message());
        }, event -> {
            PullProgress step = EngineJson.pullProgress(event);
            guard.accept(step);
            progress.accept(step);
        });
    }

    private Optional<Digest> imageIdIfPresent(String image) {
        try {
            return Optional.of(store.inspect(image).id());
        } catch (GantryException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code X-Registry-Auth} without a login: an empty auth config ({@code {}}). */
    static String anonymousAuth() {
        return Base64.getUrlEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8));
    }

    /** {@code X-Registry-Auth}: base64url of the JSON auth config the Engine API expects. */
    static String registryAuth(RegistryLogin login) {
        ObjectNode auth = new ObjectMapper().createObjectNode();
        if (login.identityToken().isPresent()) {
            auth.put("identitytoken", login.identityToken().get());
        } else {
            auth.put("username", login.username());
            auth.put("password", login.password());
        }
        auth.put("serveraddress", login.serverAddress());
        return Base64.getUrlEncoder().encodeToString(auth.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static GantryException cancelledError(String op) {
        return new GantryException(ErrorKind.CANCELLED, op, "cancelled");
    }
}
