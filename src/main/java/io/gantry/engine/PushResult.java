package io.gantry.engine;

import io.gantry.core.Digest;
import java.util.Objects;

/**
 * What a finished push left in the registry.
 *
 * @param reference the reference pushed, as the user knows it ("localhost:5000/app:1.0")
 * @param digest    the manifest digest the registry stores it under
 * @param size      the manifest's size in bytes
 */
public record PushResult(String reference, Digest digest, long size) {

    public PushResult {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(digest, "digest");
    }
}
