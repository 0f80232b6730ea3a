package io.gantry.service.analysis;

import java.util.List;
import java.util.Objects;

/**
 * A path whose bytes are stored in the image but not visible in its final filesystem, because a
 * later layer (or a later entry of the same layer) overwrote or deleted them.
 *
 * @param path        the path
 * @param copies      how many times layers wrote a file at this path
 * @param wastedBytes the bytes of the superseded copies: with N copies and the last one still
 *                    visible, the N-1 earlier ones; with the path deleted at the end, all N
 * @param removed     whether the path is gone from the final filesystem
 * @param layers      index of the layer of each copy, in order
 */
public record WastedFile(String path, int copies, long wastedBytes, boolean removed, List<Integer> layers) {

    public WastedFile {
        Objects.requireNonNull(path, "path");
        layers = List.copyOf(layers);
    }
}
