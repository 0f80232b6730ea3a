package io.gantry.testing;

import java.time.Instant;

/**
 * One entry of a layer tar: a file, directory, symbolic link or hard link, with the exact mode,
 * owner and modification time it is written with. Whiteouts are ordinary empty files named
 * {@code .wh.<name>} (and {@code .wh..wh..opq} for an opaque directory), as in the OCI layer spec.
 *
 * @param path relative path without a leading or trailing slash, e.g. {@code etc/os-release}
 * @param kind what the entry is
 * @param content a file's bytes (empty for anything else); shared, treat as read-only
 * @param linkTarget a link's target (empty for anything else)
 * @param mode permission bits, e.g. {@code 0644}
 * @param uid owner user id
 * @param gid owner group id
 * @param modified modification time (whole seconds)
 */
public record LayerEntry(String path, Kind kind, byte[] content, String linkTarget, int mode, int uid, int gid,
        Instant modified) {

    /** The kinds of tar entry a fixture layer can hold. */
    public enum Kind { FILE, DIRECTORY, SYMLINK, HARDLINK }

    /** The prefix of a whiteout file's name. */
    public static final String WHITEOUT_PREFIX = ".wh.";
    /** The name of the file that makes its directory opaque. */
    public static final String OPAQUE_MARKER = ".wh..wh..opq";

    public LayerEntry {
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("a layer path is relative, without a trailing slash: '" + path + "'");
        }
    }

    /** The entry's file name, the last path element. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Whether this entry deletes a file of a lower layer ({@code .wh.name}, not the opaque marker). */
    public boolean isWhiteout() {
        return name().startsWith(WHITEOUT_PREFIX) && !isOpaqueMarker();
    }

    /** Whether this entry hides everything lower layers put in its directory. */
    public boolean isOpaqueMarker() {
        return name().equals(OPAQUE_MARKER);
    }

    @Override
    public String toString() {
        return kind + " " + path + (linkTarget.isEmpty() ? "" : " -> " + linkTarget)
                + (kind == Kind.FILE ? " (" + content.length + " bytes)" : "");
    }
}
