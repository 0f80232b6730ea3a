package io.gantry.cli;

import io.gantry.service.EndpointCatalog;
import java.nio.file.Path;
import java.util.Optional;

/** How the CLI gets its endpoints: the composition root decides, the CLI only says which store dir. */
@FunctionalInterface
public interface CatalogOpener {

    /** Opens the embedded store at {@code storeDir} (or the default one) plus every engine found. */
    EndpointCatalog open(Optional<Path> storeDir);
}
