package io.gantry.service.analysis;

/** What a layer tar entry is. Whiteouts are entries too: they delete something from lower layers. */
public enum EntryType {
    FILE,
    DIRECTORY,
    SYMLINK,
    /** A hard link: its {@linkplain LayerEntry#linkTarget() target} is another path in the image. */
    HARDLINK,
    CHAR_DEVICE,
    BLOCK_DEVICE,
    FIFO,
    /** {@code .wh.<name>}: deletes {@code <name>} (file or whole directory) of the lower layers. */
    WHITEOUT,
    /** {@code .wh..wh..opq}: hides everything the lower layers have in this directory. */
    OPAQUE_WHITEOUT,
    /** Any other tar type (e.g. contiguous files or vendor extensions), kept but not interpreted. */
    OTHER;

    /** Whether the entry adds something to the filesystem (as opposed to deleting). */
    public boolean isContent() {
        return this != WHITEOUT && this != OPAQUE_WHITEOUT;
    }
}
