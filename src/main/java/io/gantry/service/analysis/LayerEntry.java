package io.gantry.service.analysis;

import java.util.Objects;
import java.util.Set;

/**
 * One entry of a layer tar, from its header only (contents are never kept).
 *
 * @param path       normalized path below the image root, no leading or trailing {@code /}
 *                   ({@code usr/bin/env}); for a whiteout the path it deletes, for an opaque whiteout
 *                   the directory it makes opaque; for an entry that {@linkplain EntryFlag#ESCAPES_ROOT
 *                   escapes the root} the raw name
 * @param rawName    the name exactly as the archive has it
 * @param type       what the entry is
 * @param size       bytes of content (regular files only; 0 for everything else)
 * @param mode       permission bits ({@code 07777} mask)
 * @param uid        owner user ID
 * @param gid        owner group ID
 * @param linkTarget target of a symlink or hard link, as written in the archive; empty otherwise
 * @param flags      safety observations, empty for an ordinary entry
 */
public record LayerEntry(String path, String rawName, EntryType type, long size, int mode, long uid, long gid,
                         String linkTarget, Set<EntryFlag> flags) {

    public LayerEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rawName, "rawName");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(linkTarget, "linkTarget");
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(flags);
    }

    /** The last path component ({@code env} for {@code usr/bin/env}). */
    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    public boolean flagged() {
        return !flags.isEmpty();
    }

    /** {@code -rwxr-xr-x}-style mode string, as {@code ls -l} and dive show it. */
    public String modeString() {
        char kind = switch (type) {
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case CHAR_DEVICE -> 'c';
            case BLOCK_DEVICE -> 'b';
            case FIFO -> 'p';
            default -> '-';
        };
        StringBuilder s = new StringBuilder().append(kind);
        String rwx = "rwxrwxrwx";
        for (int bit = 8; bit >= 0; bit--) {
            s.append((mode & (1 << bit)) != 0 ? rwx.charAt(8 - bit) : '-');
        }
        if ((mode & 04000) != 0) {
            s.setCharAt(3, (mode & 0100) != 0 ? 's' : 'S');
        }
        if ((mode & 02000) != 0) {
            s.setCharAt(6, (mode & 010) != 0 ? 's' : 'S');
        }
        if ((mode & 01000) != 0) {
            s.setCharAt(9, (mode & 01) != 0 ? 't' : 'T');
        }
        return s.toString();
    }
}
