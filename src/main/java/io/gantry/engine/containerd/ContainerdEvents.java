package io.gantry.engine.containerd;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.PeerText;
import io.gantry.engine.StoreEvent;
import io.gantry.engine.StoreEventListener;
import io.gantry.engine.Subscription;
import io.gantry.engine.containerd.api.events.ContainerEvent;
import io.gantry.engine.containerd.api.events.Envelope;
import io.gantry.engine.containerd.api.events.EventsGrpc;
import io.gantry.engine.containerd.api.events.ImageEvent;
import io.gantry.engine.containerd.api.events.NamespaceEvent;
import io.gantry.engine.containerd.api.events.SubscribeRequest;
import io.gantry.engine.containerd.api.events.TaskEvent;
import io.gantry.engine.containerd.api.version.VersionGrpc;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live subscription to containerd's event stream ({@code containerd.services.events.v1.Events/Subscribe}),
 * on a thread of its own: image, container, task and namespace events of every namespace, as
 * {@code ctr events} shows them, so a {@code ctr pull} or {@code ctr images rm} in a terminal shows
 * in the window without a refresh.
 *
 * <p>containerd keeps no event history, so nothing missed can be replayed: when the stream breaks
 * (the daemon stopped, the socket went away) the listener hears {@code onDisconnected}; the
 * subscription asks the daemon its version every {@link #RETRY} until it answers, opens the stream
 * again and calls {@code onConnected}, and the listener reloads what it shows.
 *
 * <p>The stream has no deadline (it runs until closed); the version call that precedes it has one,
 * and a daemon that goes away closes the socket, which ends the stream at once.
 */
final class ContainerdEvents implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerdEvents.class);
    /** The topics Gantry follows; containerd ORs filters. */
    static final List<String> FILTERS = List.of("topic~=\"^/images/\"", "topic~=\"^/containers/\"",
            "topic~=\"^/tasks/\"", "topic~=\"^/namespaces/\"");
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final Duration PROBE = Duration.ofSeconds(10);

    private final ContainerdConnection connection;
    private final StoreEventListener listener;
    private final String operation;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Context.CancellableContext current;
    /** Whether the stream was open when it last changed; true at first, so a first failure is reported. */
    private boolean connected = true;

    ContainerdEvents(ContainerdConnection connection, StoreEventListener listener, String endpointName) {
        this.connection = connection;
        this.listener = listener;
        this.operation = "follow events of " + endpointName;
        this.thread = new Thread(this::run, "gantry-events " + endpointName);
        this.thread.setDaemon(true);
    }

    ContainerdEvents start() {
        thread.start();
        return this;
    }

    private void run() {
        while (!closed) {
            try {
                follow();
                if (!closed) {
                    throw new GantryException(ErrorKind.UNAVAILABLE, operation, "containerd closed the event stream");
                }
            } catch (StatusRuntimeException e) {
                if (closed) {
                    return;
                }
                disconnected(connection.failure(operation, e));
            } catch (GantryException e) {
                if (closed) {
                    return;
                }
                disconnected(e);
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("{}: listener failed", operation, e);
                disconnected(new GantryException(ErrorKind.INTERNAL, operation,
                        "an event could not be handled", e));
            }
            if (!closed && !pause()) {
                return;
            }
        }
    }

    /** Asks the version (so a daemon that is not there fails in time), then reads the stream until it ends. */
    private void follow() {
        connection.bind(VersionGrpc.newBlockingStub(connection.channel()), ContainerdStore.DEFAULT_NAMESPACE, PROBE)
                .version(Empty.getDefaultInstance());
        Context.CancellableContext context = Context.current().withCancellation();
        current = context;
        try {
            context.run(() -> {
                if (closed) {
                    return;
                }
                Iterator<Envelope> events = connection.stream(EventsGrpc.newBlockingStub(connection.channel()),
                                ContainerdStore.DEFAULT_NAMESPACE)
                        .subscribe(SubscribeRequest.newBuilder().addAllFilters(FILTERS).build());
                LOG.debug("{}: connected", operation);
                connected = true;
                listener.onConnected();
                while (!closed && events.hasNext()) {
                    event(events.next()).ifPresent(listener::onEvent);
                }
            });
        } finally {
            current = null;
            context.cancel(null);
        }
    }

    /** Tells the listener once per outage (the first failure of all counts as one). */
    private void disconnected(GantryException error) {
        LOG.debug("{}: {}", operation, error.getMessage());
        if (connected) {
            connected = false;
            listener.onDisconnected(error);
        }
    }

    /**
     * containerd's event as Gantry's: the type from the topic ({@code /images/create} is an image
     * created), the object's name or ID from the payload (field 1 of every payload), the namespace and
     * the topic as attributes. Empty for a topic Gantry does not follow or a payload it cannot read.
     */
    static Optional<StoreEvent> event(Envelope envelope) {
        String[] topic = envelope.getTopic().split("/");
        if (topic.length != 3 || !topic[0].isEmpty()) {
            return Optional.empty();
        }
        String action = PeerText.clean(topic[2]);
        Instant time = Instant.ofEpochSecond(envelope.getTimestamp().getSeconds(), envelope.getTimestamp().getNanos());
        Map<String, String> attributes = Map.of("namespace", PeerText.clean(envelope.getNamespace()),
                "topic", PeerText.clean(envelope.getTopic()));
        Any payload = envelope.getEvent();
        try {
            return switch (topic[1]) {
                case "images" -> Optional.of(new StoreEvent(StoreEvent.Type.IMAGE, action,
                        PeerText.clean(ImageEvent.parseFrom(payload.getValue()).getName()), attributes, time));
                case "containers" -> {
                    ContainerEvent c = ContainerEvent.parseFrom(payload.getValue());
                    Map<String, String> withImage = c.getImage().isEmpty() ? attributes
                            : Map.of("namespace", attributes.get("namespace"), "topic", attributes.get("topic"),
                                    "image", PeerText.clean(c.getImage()));
                    yield Optional.of(new StoreEvent(StoreEvent.Type.CONTAINER, action, PeerText.clean(c.getId()),
                            withImage, time));
                }
                case "tasks" -> Optional.of(new StoreEvent(StoreEvent.Type.CONTAINER, action,
                        PeerText.clean(TaskEvent.parseFrom(payload.getValue()).getContainerId()), attributes, time));
                case "namespaces" -> Optional.of(new StoreEvent(StoreEvent.Type.OTHER, action,
                        PeerText.clean(NamespaceEvent.parseFrom(payload.getValue()).getName()), attributes, time));
                default -> Optional.empty();
            };
        } catch (InvalidProtocolBufferException e) {
            LOG.debug("unreadable event on {}: {}", envelope.getTopic(), e.getMessage());
            return Optional.empty();
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(RETRY.toMillis());
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        Context.CancellableContext context = current;
        if (context != null) {
            context.cancel(null);
        }
        thread.interrupt();
    }
}
