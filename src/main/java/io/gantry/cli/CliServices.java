package io.gantry.cli;

import io.gantry.service.EndpointCatalog;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the CLI needs from the composition root: the endpoints (with the embedded store at the
 * directory {@code --store} names, or the default one) and the registry-backed services.
 */
public interface CliServices {

    /** Opens the embedded store at {@code storeDir} (or the default one) plus every engine found. */
    EndpointCatalog open(Optional<Path> storeDir);

}
