package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The engine's {@code /system/df} calls, one at a time. Docker before 23.0 computes one disk usage
 * at a time and refuses a second that comes while one runs (HTTP 500, "a disk usage operation is
 * already running"); 23.0 and later let the second wait for the first's answer. Gantry asks for
 * the disk usage from several places at once (the images listing, the rail's figure, the
 * containers' sizes), and another client (a {@code docker system df}, a window closed while its
 * call ran) may be computing one, so:
 * <ul>
 *   <li>a call that comes while Gantry's own call of the same path runs gets that call's answer;
 *   <li>the engine's refusal is waited out: the call is asked again after 0.1, 0.2, 0.4 … 2 s, for
 *       as long as a quick call may take ({@link EngineApi#readTimeout()}), and then fails in words.
 * </ul>
 * The refusal is told by its status and message (the engine gives it no code of its own).
 */
final class DiskUsageCalls {

    /** What Docker 17.06–22.x answers, with HTTP 500, to a disk usage asked while one runs. */
    static final String BUSY = "a disk usage operation is already running";
    private static final Duration FIRST_WAIT = Duration.ofMillis(100);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(2);

    private final EngineApi api;
    private final Map<String, CompletableFuture<JsonNode>> running = new ConcurrentHashMap<>();

    DiskUsageCalls(EngineApi api) {
        this.api = api;
    }

    /** {@code GET path} (a {@code /system/df} path), or the answer of the same call already running. */
    JsonNode get(String operation, String path, EngineApi.Speed speed) {
        CompletableFuture<JsonNode> mine = new CompletableFuture<>();
        CompletableFuture<JsonNode> first = running.putIfAbsent(path, mine);
        if (first != null) {
            return await(operation, first);
        }
        try {
            JsonNode answer = askWhileBusy(operation, path, speed);
            mine.complete(answer);
            return answer;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(path, mine);
        }
    }

    private JsonNode askWhileBusy(String operation, String path, EngineApi.Speed speed) {
        long giveUp = System.nanoTime() + api.readTimeout().toNanos();
        Duration wait = FIRST_WAIT;
        while (true) {
            try (EngineApi.Response response = api.send(operation, "GET", path, Map.of(), null, speed)) {
                return response.json();
            } catch (GantryException e) {
                if (!busy(e)) {
                    throw e;
                }
                if (System.nanoTime() + wait.toNanos() > giveUp) {
                    throw new GantryException(ErrorKind.UNAVAILABLE, operation, "the engine was still computing "
                            + "its disk usage for another client after " + api.readTimeout().toSeconds() + " s", null,
                            500, "Retry in a minute; a docker system df running elsewhere holds the engine.", e);
                }
                sleep(operation, wait);
                wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
            }
        }
    }

    static boolean busy(GantryException e) {
        return e.httpStatus().orElse(0) == 500 && e.getMessage() != null && e.getMessage().contains(BUSY);
    }

    private static JsonNode await(String operation, CompletableFuture<JsonNode> first) {
        try {
            return first.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.CANCELLED, operation, "interrupted");
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw GantryException.unexpected(operation, e.getCause());
        }
    }

    private static void sleep(String operation, Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.CANCELLED, operation, "interrupted");
        }
    }
}
