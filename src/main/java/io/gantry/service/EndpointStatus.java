package io.gantry.service;

import io.gantry.core.GantryException;
import io.gantry.engine.Endpoint;
import io.gantry.engine.EngineInfo;
import io.gantry.engine.ImageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One endpoint as {@code gantry endpoints} shows it: what it is, whether it answers and its
 * version (asked now), and whether the docker CLI would use it.
 *
 * @param id      the endpoint ID ({@code --endpoint} takes it)
 * @param name    its display name
 * @param kind    "embedded", "docker" or "podman", as the engine port reports it
 * @param version the product version it reports, empty when it does not answer
 * @param state   "up" or "unavailable"
 * @param current whether the docker CLI would use it now
 * @param address its store directory or host URI
 * @param error   why it is unavailable (the error's one line, peer text cleaned), empty when up
 */
public record EndpointStatus(String id, String name, String kind, String version, String state, boolean current,
                             String address, String error) {

    /** Asks every endpoint of {@code catalog} about itself, in the catalog's order. */
    public static List<EndpointStatus> of(EndpointCatalog catalog) {
        List<EndpointStatus> statuses = new ArrayList<>();
        for (Endpoint endpoint : catalog.endpoints()) {
            ImageStore store = catalog.store(endpoint.id());
            String version = "";
            String state;
            String error = "";
            try {
                EngineInfo info = store.info();
                version = info.version();
                state = "up";
            } catch (GantryException e) {
                state = "unavailable";
                error = io.gantry.core.PeerText.clean(e.getMessage());
            }
            statuses.add(new EndpointStatus(endpoint.id(), endpoint.name(), endpoint.kind().name().toLowerCase(Locale.ROOT),
                    version, state, store.dockerCurrent(), endpoint.address(), error));
        }
        return statuses;
    }
}
