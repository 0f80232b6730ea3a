package io.gantry.service.analysis;

import io.gantry.engine.ImageLayer;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where layer bytes come from: the embedded store opens the blob file, an engine store a layer of
 * its image export stream. The stream may be gzip, zstd or plain tar; the analysis closes it.
 */
@FunctionalInterface
public interface LayerContentSource {

    /** Opens the layer's blob for reading. An {@link IOException} fails this layer only. */
    InputStream open(ImageLayer layer) throws IOException;
}
