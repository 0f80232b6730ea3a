package io.gantry.service;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.Endpoint;
import io.gantry.engine.ImageStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every endpoint Gantry can see, embedded store first, in the order the rail shows them. Owns the
 * stores it is given and closes them.
 */
public final class EndpointCatalog implements AutoCloseable {

    private final Map<String, ImageStore> stores = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    public EndpointCatalog(List<? extends ImageStore> stores) {
        for (ImageStore store : stores) {
            this.stores.putIfAbsent(store.endpoint().id(), store);
        }
    }

    public List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        synchronized (stores) {
            stores.values().forEach(store -> endpoints.add(store.endpoint()));
        }
        return endpoints;
    }

    /**
     * Adds an endpoint the user configured while Gantry runs (a remote engine from the settings).
     * Returns false, and closes {@code store}, when an endpoint with its id is already here.
     */
    public boolean add(ImageStore store) {
        if (stores.putIfAbsent(store.endpoint().id(), store) != null) {
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
        ImageStore old = stores.put(store.endpoint().id(), store);
        if (old != null && old != store) {
            old.close();
        }
    }

    /** The store behind an endpoint id; {@code NOT_FOUND} when there is none. */
    public ImageStore store(String endpointId) {
        ImageStore store = stores.get(endpointId);
        if (store == null) {
            throw new GantryException(ErrorKind.NOT_FOUND, "open endpoint " + endpointId,
                    "no such endpoint; known: " + String.join(", ", stores.keySet()));
        }
        return store;
    }

    /** The first endpoint: the embedded store. */
    public ImageStore defaultStore() {
        return List.copyOf(stores.values()).get(0);
    }

    @Override
    public void close() {
        List.copyOf(stores.values()).forEach(ImageStore::close);
    }
}
