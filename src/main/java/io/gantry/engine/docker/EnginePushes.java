package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.Cancellation;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.engine.EngineCredentials;
import io.gantry.engine.PushProgress;
import io.gantry.engine.PushResult;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A push through the engine: {@code POST /images/{name}/push?tag=…} with the registry login
 * ({@code X-Registry-Auth}, always sent: moby reads the body for an old-style login otherwise and
 * fails on an empty one), its progress stream read into the port's push events, cancellable. The
 * digest comes from the stream's {@code aux} object ({@code Tag}, {@code Digest}, {@code Size}),
 * which dockerd and Podman both send.
 */
final class EnginePushes {

    private final DockerEngineStore store;
    private final EngineApi api;
    private final ObjectMapper json;
    private final EngineCredentials credentials;
    private final Duration idle;

    EnginePushes(DockerEngineStore store, EngineApi api, ObjectMapper json, EngineCredentials credentials, Duration idle) {
        this.store = store;
        this.api = api;
        this.json = json;
        this.credentials = credentials;
        this.idle = idle;
    }

    PushResult push(ImageReference target, Consumer<PushProgress> progress, Cancellation cancellation) {
        String shown = target.familiar();
        String op = "push " + shown + " from " + store.name();
        if (target.digest().isPresent() || target.tag().isEmpty()) {
            // docker's own words (its API client refuses before asking the daemon), also for name:tag@digest
            throw new GantryException(ErrorKind.INVALID_INPUT, op, "cannot push a digest reference", null, 0,
                    "Push a tag: name the image by one (gantry --endpoint … tag IMAGE " + target.familiarName()
                            + ":TAG), then push that.", null);
        }
        String tag = target.tag().get();
        store.inspect(target.withTag(tag).familiar()); // NOT_FOUND in the port's words before the engine's
        String path = "/images/" + EngineApi.query(target.familiarName()) + "/push?tag=" + EngineApi.query(tag);
        String auth = credentials.loginFor(target.registry()).map(EnginePulls::registryAuth)
                .orElseGet(EnginePulls::anonymousAuth);
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicReference<PushResult> result = new AtomicReference<>();
        try (EngineApi.Response response = api.send(op, "POST", path, Map.of("X-Registry-Auth", auth), null,
                EngineApi.Speed.STREAM);
             Cancellation.Registration hook = cancellation.onCancel(() -> {
                 cancelled.set(true);
                 response.close();
             })) {
            readStream(op, shown, response, progress, cancelled, result);
        } catch (GantryException e) {
            throw cancelled.get() ? Cancellation.cancelledError(op) : e;
        } catch (Exception e) {
            throw cancelled.get() ? Cancellation.cancelledError(op) : api.unavailable(op, e);
        }
        if (cancelled.get()) {
            throw Cancellation.cancelledError(op);
        }
        if (result.get() == null) {
            throw new GantryException(ErrorKind.UNAVAILABLE, op, "the engine ended the push without a digest", null, 0,
                    "Try again; the registry keeps what was pushed so far.", null);
        }
        return result.get();
    }

    private void readStream(String op, String shown, EngineApi.Response response, Consumer<PushProgress> progress,
                            AtomicBoolean cancelled, AtomicReference<PushResult> result) throws IOException {
        PullStreamGuard guard = new PullStreamGuard(op, idle, System::nanoTime);
        JsonMessages.read(json, response.messages(), cancelled::get, "push failed",
                error -> error.code() > 0 ? api.statusError(op, error.code(), error.message()) : pushError(op, error.message()),
                event -> {
                    JsonNode aux = event.path("aux");
                    if (aux.hasNonNull("Digest")) {
                        Optional<Digest> digest = parseDigest(aux.path("Digest").asText());
                        digest.ifPresent(d -> result.set(new PushResult(shown, d, aux.path("Size").asLong(0))));
                        return;
                    }
                    if (!event.has("status")) {
                        return;
                    }
                    PushProgress step = pushProgress(event);
                    guard.accept(step);
                    if (step.phase() == PushProgress.Phase.DIGEST && result.get() == null) {
                        // Podman sends no aux object: "TAG: digest: sha256:… [size: N]" is all it says
                        digestInStatus(step.text()).ifPresent(d -> result.set(new PushResult(shown, d, sizeInStatus(step.text()))));
                    }
                    progress.accept(step);
                });
    }

    /**
     * The engine's failure in the stream: a registry's refusal of the login is {@code UNAUTHORIZED}
     * (the words are the only structure the stream gives; the kind decides the exit code only).
     */
    private static GantryException pushError(String op, String message) {
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("unauthorized") || lower.contains("authentication required") || lower.contains("no basic auth")) {
            return new GantryException(ErrorKind.UNAUTHORIZED, op, message, null, 401,
                    "Log in to the registry (docker login), then push again.", null);
        }
        if (lower.contains("denied")) {
            return new GantryException(ErrorKind.DENIED, op, message, null, 403,
                    "The login may not push to this repository.", null);
        }
        return new GantryException(ErrorKind.UNAVAILABLE, op, message);
    }

    private static Optional<Digest> digestInStatus(String status) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(": digest: (sha256:[0-9a-f]{64})").matcher(status);
        return m.find() ? parseDigest(m.group(1)) : Optional.empty();
    }

    private static long sizeInStatus(String status) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" size: ([0-9]{1,12})").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static Optional<Digest> parseDigest(String text) {
        try {
            return Optional.of(Digest.of(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** One object of the push stream, in the port's words (moby's fixed progress vocabulary). */
    static PushProgress pushProgress(JsonNode node) {
        String status = node.path("status").asText("");
        String layer = node.path("id").asText("");
        JsonNode detail = node.path("progressDetail");
        long current = detail.path("current").asLong(0);
        long total = detail.path("total").asLong(0);
        PushProgress.Phase phase;
        if (status.contains(": digest: sha256:")) {
            phase = PushProgress.Phase.DIGEST;
            layer = "";
        } else if (layer.isEmpty() || status.startsWith("The push refers to")) {
            phase = PushProgress.Phase.STATUS;
            layer = "";
        } else if (status.startsWith("Mounted from")) {
            phase = PushProgress.Phase.MOUNTED;
        } else {
            phase = switch (status) {
                case "Preparing" -> PushProgress.Phase.PREPARING;
                case "Waiting" -> PushProgress.Phase.WAITING;
                case "Pushing" -> PushProgress.Phase.PUSHING;
                case "Pushed" -> PushProgress.Phase.PUSHED;
                case "Layer already exists" -> PushProgress.Phase.ALREADY_EXISTS;
                default -> PushProgress.Phase.OTHER;
            };
        }
        return new PushProgress(layer, phase, current, total, status);
    }
}
