package io.gantry.engine;

import io.gantry.core.Digest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ImageStore#verify()} found (the embedded store checks its layout), like {@code git fsck}: it checks, never repairs.
 *
 * @param blobsChecked    reachable blobs whose size and digest were checked
 * @param bytesChecked    their total size
 * @param problems        everything wrong, empty for a healthy store
 * @param unreferenced    blobs nothing references (garbage; {@code gantry prune} removes them)
 */
public record VerifyReport(int blobsChecked, long bytesChecked, List<Problem> problems, int unreferenced) {

    public VerifyReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** What is wrong with a blob or the layout. */
    public enum Kind {
        /** A referenced blob is not in the store. */
        MISSING,
        /** A blob's size differs from what references it say. */
        SIZE_MISMATCH,
        /** A blob's content does not hash to its name. */
        DIGEST_MISMATCH,
        /** A manifest, index or config cannot be parsed. */
        MALFORMED,
        /** The layout itself ({@code oci-layout}, {@code index.json}) is damaged. */
        LAYOUT,
        /** A blob could not be read. */
        UNREADABLE
    }

    /**
     * One problem.
     *
     * @param kind         what is wrong
     * @param blob         the blob concerned, when it is about one
     * @param detail       a readable explanation
     * @param referencedBy who points at it: an image name, a manifest digest, "index.json"
     */
    public record Problem(Kind kind, Optional<Digest> blob, String detail, String referencedBy) {
        public Problem {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(blob, "blob");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(referencedBy, "referencedBy");
        }

        @Override
        public String toString() {
            return kind + blob.map(d -> " " + d).orElse("") + ": " + detail + " (referenced by " + referencedBy + ")";
        }
    }
}
