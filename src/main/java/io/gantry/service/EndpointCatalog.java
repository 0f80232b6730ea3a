package io.gantry.service;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.Endpoint;
import io.gantry.engine.ImageStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every endpoint Gantry can see, embedded store first, in the order the rail shows them. Owns the
 * stores it is given and closes them. A store may be given as a deferred one ({@link #deferring}):
 * its endpoint is known at once, the store is opened when first asked for, and never if it is not
 * (a command aimed at another endpoint then reads no {@code index.json} and builds no JSON mapper).
 */
public final class EndpointCatalog implements AutoCloseable {

    /** An endpoint and its store, opened when first needed when it was given as a deferred one. */
    private static final class Entry {
        private final Endpoint endpoint;
        private Supplier<? extends ImageStore> opener;
        private ImageStore store;

        Entry(ImageStore store) {
            this.endpoint = store.endpoint();
            this.store = store;
        }

        Entry(Endpoint endpoint, Supplier<? extends ImageStore> opener) {
            this.endpoint = endpoint;
            this.opener = opener;
        }

        synchronized ImageStore store() {
            if (store == null) {
                store = opener.get(); // a failure (no store there, say) is the caller's, and is tried again next time
                opener = null;
            }
            return store;
        }

        synchronized boolean holds(ImageStore other) {
            return store == other;
        }

        synchronized void close() {
            if (store != null) {
                store.close();
            }
        }
    }

    private final Map<String, Entry> stores = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    public EndpointCatalog(List<? extends ImageStore> stores) {
        for (ImageStore store : stores) {
            this.stores.putIfAbsent(store.endpoint().id(), new Entry(store));
        }
    }

    private EndpointCatalog() {
    }

    /**
     * A catalog whose first endpoint, {@code first}, is opened by {@code opener} only when a caller
     * asks for its store; then {@code others}.
     */
    public static EndpointCatalog deferring(Endpoint first, Supplier<? extends ImageStore> opener,
                                            List<? extends ImageStore> others) {
        EndpointCatalog catalog = new EndpointCatalog();
        catalog.stores.put(first.id(), new Entry(first, opener));
        for (ImageStore store : others) {
            catalog.stores.putIfAbsent(store.endpoint().id(), new Entry(store));
        }
        return catalog;
    }

    public List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        synchronized (stores) {
            stores.values().forEach(entry -> endpoints.add(entry.endpoint));
        }
        return endpoints;
    }

    /**
     * Adds an endpoint the user configured while Gantry runs (a remote engine from the settings).
     * Returns false, and closes {@code store}, when an endpoint with its id is already here.
     */
    public boolean add(ImageStore store) {
        if (stores.putIfAbsent(store.endpoint().id(), new Entry(store)) != null) {
            store.close();
            return false;
        }
        return true;
    }

    /**
     * Puts {@code store} in the place of the store with its endpoint id (the same containerd in
     * another namespace), closing the one it replaces; added at the end when there was none.
     */
    public void replace(ImageStore store) {
        Entry old = stores.put(store.endpoint().id(), new Entry(store));
        if (old != null && !old.holds(store)) {
            old.close();
        }
    }

    /** The store behind an endpoint id; {@code NOT_FOUND} when there is none. */
    public ImageStore store(String endpointId) {
        Entry entry = stores.get(endpointId);
        if (entry == null) {
            throw new GantryException(ErrorKind.NOT_FOUND, "open endpoint " + endpointId,
                    "no such endpoint; known: " + String.join(", ", stores.keySet()));
        }
        return entry.store();
    }

    /** The first endpoint: the embedded store. */
    public ImageStore defaultStore() {
        return List.copyOf(stores.values()).get(0).store();
    }

    @Override
    public void close() {
        List.copyOf(stores.values()).forEach(Entry::close);
    }
}
