package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.StoreEvent;
import io.gantry.engine.StoreEventListener;
import io.gantry.engine.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live subscription to an engine's {@code /events} stream (images and containers), on a thread
 * of its own. When the stream breaks (the engine stopped, the socket went away) it tells the
 * listener, waits, and reconnects with {@code since} set to the last event seen, so events that
 * happened while it was down are replayed rather than lost.
 */
final class EngineEvents implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(EngineEvents.class);
    private static final String FILTERS = "{\"type\":[\"image\",\"container\"]}";

    private final EngineApi api;
    private final ObjectMapper json;
    private final StoreEventListener listener;
    private final Duration retryDelay;
    private final String operation;
    private final Thread thread;
    private volatile boolean closed;
    private volatile EngineApi.Response current;
    /** Nanoseconds since the epoch of the last event delivered; replays skip anything not newer. */
    private long lastEventNanos;
    /** Where a reconnect asks the engine to replay from: the last event, or when the stream last connected. */
    private long replayFromNanos;

    EngineEvents(EngineApi api, ObjectMapper json, StoreEventListener listener, Duration retryDelay,
                 ThreadFactory threads, String endpointName) {
        this.api = api;
        this.json = json;
        this.listener = listener;
        this.retryDelay = retryDelay;
        this.operation = "follow events of " + endpointName;
        this.thread = threads.newThread(this::run);
    }

    EngineEvents start() {
        thread.start();
        return this;
    }

    private void run() {
        boolean wasConnected = true; // so the first failure is reported
        while (!closed) {
            try {
                String path = "/events?filters=" + EngineApi.query(FILTERS)
                        + (replayFromNanos > 0 ? "&since=" + since(replayFromNanos) : "");
                try (EngineApi.Response response = api.send(operation, "GET", path, Map.of(), null,
                        EngineApi.Speed.FOLLOW)) {
                    current = response;
                    if (closed) {
                        return;
                    }
                    connectedSince(response);
                    wasConnected = true;
                    LOG.debug("{}: connected", operation);
                    listener.onConnected();
                    readEvents(response);
                }
                if (!closed) {
                    throw new GantryException(ErrorKind.UNAVAILABLE, operation, "the engine closed the event stream");
                }
            } catch (GantryException e) {
                if (closed) {
                    return;
                }
                if (wasConnected) {
                    listener.onDisconnected(e);
                    wasConnected = false;
                }
                LOG.debug("{}: {}", operation, e.getMessage());
                if (!sleep()) {
                    return;
                }
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("{}: listener failed", operation, e);
                listener.onDisconnected(GantryException.unexpected(operation, e));
                wasConnected = false;
                if (!sleep()) {
                    return;
                }
            } finally {
                current = null;
            }
        }
    }

    private void readEvents(EngineApi.Response response) {
        MessageBoundedStream body = response.messages();
        try (MappingIterator<JsonNode> events = json.readerFor(JsonNode.class).readValues(body)) {
            while (!closed && events.hasNextValue()) {
                JsonNode node = events.nextValue();
                body.nextMessage();
                long nanos = node.path("timeNano").asLong(0);
                if (nanos > 0 && nanos <= lastEventNanos) {
                    continue; // replayed after a reconnect: already delivered
                }
                Optional<StoreEvent> event = EngineJson.event(node);
                if (event.isPresent()) {
                    lastEventNanos = Math.max(lastEventNanos, nanos);
                    replayFromNanos = Math.max(replayFromNanos, nanos);
                    listener.onEvent(event.get());
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                throw api.unavailable(operation, e);
            }
        }
    }

    /**
     * Nothing before the moment the stream connected can be missed later, so a reconnect may ask
     * for events since then even when none came: the engine's own clock, from the response's
     * {@code Date} header (whole seconds; events of that second already delivered are skipped).
     */
    private void connectedSince(EngineApi.Response response) {
        String date = response.header("Date");
        if (date == null || date.isEmpty()) {
            return;
        }
        try {
            long nanos = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond() * 1_000_000_000L;
            replayFromNanos = Math.max(replayFromNanos, nanos);
        } catch (DateTimeParseException e) {
            LOG.debug("{}: unreadable Date header '{}'", operation, date);
        }
    }

    /** {@code since} in the {@code seconds.nanoseconds} form the engine accepts. */
    static String since(long epochNanos) {
        return (epochNanos / 1_000_000_000L) + "." + String.format("%09d", epochNanos % 1_000_000_000L);
    }

    private boolean sleep() {
        try {
            Thread.sleep(retryDelay.toMillis());
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        EngineApi.Response response = current;
        if (response != null) {
            response.close();
        }
        thread.interrupt();
    }
}
