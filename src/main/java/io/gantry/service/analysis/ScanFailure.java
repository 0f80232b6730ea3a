package io.gantry.service.analysis;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import java.util.Objects;

/**
 * Why one layer could not be read to the end. The other layers of the image are analysed regardless.
 *
 * @param problem what kind of failure, for the UI to choose an icon and wording
 * @param message one sentence a user can read, naming the entry or offset where it went wrong
 */
public record ScanFailure(Problem problem, String message) {

    /** Kinds of layer failure. */
    public enum Problem {
        /** More decompressed bytes than {@link ScanLimits#maxUncompressedBytes()}: maybe a compression bomb. */
        LIMIT_EXCEEDED(ErrorKind.BAD_CONTENT),
        /** More entries than {@link ScanLimits#maxEntries()}, or an oversized long-name/PAX header. */
        TOO_MANY_ENTRIES(ErrorKind.BAD_CONTENT),
        /** The data ends early (a truncated download or blob). */
        TRUNCATED(ErrorKind.BAD_CONTENT),
        /** The compressed stream or the tar headers are malformed. */
        CORRUPT(ErrorKind.BAD_CONTENT),
        /** A compression Gantry does not read (bzip2, xz). */
        UNSUPPORTED_FORMAT(ErrorKind.BAD_CONTENT),
        /** The store or engine stopped delivering the layer (I/O error of the source). */
        READ_FAILED(ErrorKind.UNAVAILABLE),
        /** The analysis was cancelled (thread interrupted). */
        CANCELLED(ErrorKind.CANCELLED);

        private final ErrorKind kind;

        Problem(ErrorKind kind) {
            this.kind = kind;
        }

        public ErrorKind errorKind() {
            return kind;
        }
    }

    public ScanFailure {
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(message, "message");
    }

    /** The structured exception for callers that throw: kind from the problem, code = problem name. */
    public GantryException toException(String operation) {
        return new GantryException(problem.errorKind(), operation, message, "LAYER_" + problem.name(), 0, null, null);
    }
}
