package io.gantry.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.Capabilities.Capability;
import io.gantry.engine.StoreEvent;
import io.gantry.engine.StoreEventListener;
import io.gantry.engine.Subscription;
import io.gantry.testing.ContainerdExtension;
import io.gantry.testing.ContainerdPeer;
import io.gantry.testing.FixtureImage;
import io.gantry.testing.FixtureImages;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * containerd's event stream through {@link ContainerdStore#subscribe}: what {@code ctr} does in a
 * terminal (pull, container create and delete, image rm) arrives as Gantry's events, with the
 * namespace it happened in.
 *
 * <p>containerd replays nothing, so an event that happens before the stream is open is lost. The
 * test therefore first proves the stream open: it labels a namespace of its own, once a second,
 * until that namespace's event arrives (at most 60 s), and only then does what it checks.
 */
@Tag("peer")
@ExtendWith({ContainerdExtension.class, RegistryExtension.class})
class ContainerdEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void whatCtrDoesArrivesAsEvents(ContainerdPeer containerd, RegistryPeer registry) throws Exception {
        String namespace = FixtureImages.unique("events");
        FixtureImage image = new FixtureImages().image(FixtureImages.unique("evented")).layer(l -> l.file("e", "1"));
        registry.pusher().push(image);
        String ref = image.reference(registry.hostPort());
        String container = FixtureImages.unique("c");
        Events events = new Events();
        try (ContainerdStore store = ContainerdStore.open("containerd", containerd.socket(), namespace)) {
            assertThat(store.capabilities().has(Capability.EVENTS)).isTrue();
            try (Subscription ignored = store.subscribe(events)) {
                events.awaitOpen(containerd);

                containerd.pull(namespace, ref);
                StoreEvent pulled = events.await(e -> e.type() == StoreEvent.Type.IMAGE
                        && e.action().equals("create") && e.id().equals(ref));
                assertThat(pulled.attribute("namespace")).isEqualTo(namespace);
                assertThat(pulled.attribute("topic")).isEqualTo("/images/create");
                assertThat(store.listImages()).singleElement().satisfies(i -> assertThat(i.id().toString())
                        .isEqualTo(image.imageId()));

                containerd.ctrOk(namespace, "containers", "create", "--snapshotter", "native", ref, container);
                StoreEvent created = events.await(e -> e.type() == StoreEvent.Type.CONTAINER
                        && e.action().equals("create") && e.id().equals(container));
                assertThat(created.attribute("image")).isEqualTo(ref);
                containerd.ctrOk(namespace, "containers", "rm", container);
                events.await(e -> e.type() == StoreEvent.Type.CONTAINER && e.action().equals("delete")
                        && e.id().equals(container));

                containerd.ctrOk(namespace, "images", "rm", ref);
                StoreEvent removed = events.await(e -> e.type() == StoreEvent.Type.IMAGE
                        && e.action().equals("delete") && e.id().equals(ref));
                assertThat(removed.attribute("namespace")).isEqualTo(namespace);
                assertThat(store.listImages()).isEmpty();
            }
        }
        assertThat(events.disconnects).as("the stream never broke").isEmpty();
    }

    @Test
    void aSubscriptionOutlivesTheStoreOfAnotherNamespaceAndEndsWithTheLast(ContainerdPeer containerd)
            throws Exception {
        String first = FixtureImages.unique("first");
        String second = FixtureImages.unique("second");
        String name = FixtureImages.unique("followed");
        Events events = new Events();
        ContainerdStore store = ContainerdStore.open(name, containerd.socket(), first);
        var other = store.inNamespace(second);
        store.subscribe(events);
        store.close(); // as the window does when the user picks another namespace
        events.awaitOpen(containerd);
        other.close(); // the last store of the connection: the subscription ends with it
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (eventThreadOf(name) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        assertThat(eventThreadOf(name)).as("the subscription's thread ended").isFalse();
        assertThat(events.disconnects).as("closing is no outage").isEmpty();
    }

    private static boolean eventThreadOf(String endpointName) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("gantry-events " + endpointName));
    }

    /** Collects what the subscription delivers. */
    private static final class Events implements StoreEventListener {
        private final List<StoreEvent> received = new CopyOnWriteArrayList<>();
        private final List<String> disconnects = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(StoreEvent event) {
            received.add(event);
        }

        @Override
        public void onDisconnected(io.gantry.core.GantryException error) {
            disconnects.add(error.getMessage());
        }

        /** Labels a namespace of its own once a second until its event arrives: the stream is open. */
        void awaitOpen(ContainerdPeer containerd) throws InterruptedException {
            String probe = FixtureImages.unique("probe");
            containerd.ctrOk("default", "namespaces", "create", probe);
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (int i = 0; System.nanoTime() < deadline; i++) {
                containerd.ctrOk("default", "namespaces", "label", probe, "gantry.test/probe=" + i);
                if (poll(e -> e.type() == StoreEvent.Type.OTHER && e.id().equals(probe), Duration.ofSeconds(1))) {
                    return;
                }
            }
            throw new AssertionError("no event of namespace " + probe + " within " + WAIT + "; got " + received);
        }

        StoreEvent await(Predicate<StoreEvent> wanted) throws InterruptedException {
            if (!poll(wanted, WAIT)) {
                throw new AssertionError("the event did not arrive within " + WAIT + "; got " + received);
            }
            return received.stream().filter(wanted).findFirst().orElseThrow();
        }

        private boolean poll(Predicate<StoreEvent> wanted, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                if (received.stream().anyMatch(wanted)) {
                    return true;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            return received.stream().anyMatch(wanted);
        }
    }
}
