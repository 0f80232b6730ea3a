package io.gantry.store;

import io.gantry.core.Digest;
import java.nio.file.Path;

/**
 * Where things live in an OCI image layout, and where Gantry keeps its own working files.
 *
 * <pre>
 * oci-layout                  {"imageLayoutVersion":"1.0.0"}
 * index.json                  the tagged (and dangling) images
 * blobs/sha256/&lt;hex&gt;          content, only ever complete and verified
 * .gantry/index.lock          file lock held while index.json changes
 * .gantry/gc.lock             shared by writers, exclusive for garbage collection
 * .gantry/tmp/&lt;session&gt;/      temp files of one live process (its session.lock is held)
 * .gantry/partial/            interrupted downloads kept for resuming
 * .gantry/listing             what listings need of each manifest (a cache: {@code ListingCache})
 * </pre>
 *
 * Other tools ignore {@code .gantry}; Gantry ignores and cleans what a dead process left there.
 */
record LayoutPaths(Path root) {

    static final String LAYOUT_FILE = "oci-layout";
    static final String INDEX_FILE = "index.json";
    static final String LAYOUT_VERSION = "1.0.0";

    Path layoutFile() {
        return root.resolve(LAYOUT_FILE);
    }

    Path indexFile() {
        return root.resolve(INDEX_FILE);
    }

    Path blobs() {
        return root.resolve("blobs");
    }

    Path blob(Digest digest) {
        return blobs().resolve(digest.algorithm()).resolve(digest.hex());
    }

    Path work() {
        return root.resolve(".gantry");
    }

    Path indexLock() {
        return work().resolve("index.lock");
    }

    Path gcLock() {
        return work().resolve("gc.lock");
    }

    Path tmp() {
        return work().resolve("tmp");
    }

    Path partials() {
        return work().resolve("partial");
    }

    Path partial(Digest digest) {
        return partials().resolve(digest.algorithm() + "-" + digest.hex());
    }

    Path partialLock(Digest digest) {
        return partials().resolve(digest.algorithm() + "-" + digest.hex() + ".lock");
    }
}
