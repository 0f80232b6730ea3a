/**
 * Use cases over the endpoints: the endpoint catalog, image listing, pull, delete planning and
 * layer analysis. Plain Java, no JavaFX; the GUI and the CLI are both thin layers over it.
 */
package io.gantry.service;
