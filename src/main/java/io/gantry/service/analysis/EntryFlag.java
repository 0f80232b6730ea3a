package io.gantry.service.analysis;

/**
 * Something about a layer entry a user should see, because layer archives are untrusted input.
 * Nothing flagged is ever followed or written anywhere: the analysis only reads the tar headers.
 */
public enum EntryFlag {
    /** The name starts with {@code /}; it is shown under the image root, as an engine would apply it. */
    ABSOLUTE_PATH("absolute path"),
    /** The name has {@code ..} components that stay inside the image root ({@code a/../b}). */
    PARENT_TRAVERSAL("'..' in path"),
    /** The name climbs above the image root ({@code ../../etc/passwd}); it is left out of the tree. */
    ESCAPES_ROOT("path escapes the image root"),
    /** A symlink or hard link whose target resolves outside the image root. */
    LINK_ESCAPES("link target escapes the image root"),
    /** A character or block device node. */
    DEVICE("device file"),
    /** A set-user-ID or set-group-ID executable. */
    SETUID("setuid/setgid bit"),
    /**
     * The name is longer than {@link LayerScanner#MAX_PATH_LENGTH} characters or deeper than
     * {@link LayerScanner#MAX_PATH_DEPTH} levels (PATH_MAX-like); it is left out of the tree, the
     * rest of the layer is analysed.
     */
    PATH_TOO_LONG("path too long or too deep"),
    /** The entry declares more bytes than the per-layer limit has left; the scan stops there. */
    ABSURD_SIZE("declared size over the limit");

    private final String description;

    EntryFlag(String description) {
        this.description = description;
    }

    /** A short phrase for a tooltip or a CLI column. */
    public String description() {
        return description;
    }
}
