package io.gantry.service.analysis;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Lexical path handling for tar entry names and link targets: nothing here touches a filesystem.
 */
final class PathNames {

    private PathNames() {
    }

    /**
     * A name cleaned of {@code .}, empty and {@code ..} components.
     *
     * @param path      the cleaned relative path ({@code ""} for the root)
     * @param absolute  the name started with {@code /}
     * @param traversal the name had {@code ..} components
     * @param escapes   a {@code ..} climbed above the root
     */
    record Clean(String path, boolean absolute, boolean traversal, boolean escapes) {
    }

    /** Cleans {@code name} relative to the image root. */
    static Clean clean(String name) {
        // Fast path for the usual "usr/bin/env", "./usr/bin/env" or "usr/bin/": nothing to resolve.
        int start = 0;
        while (name.startsWith("./", start)) {
            start += 2;
        }
        int end = name.length();
        while (end > start && name.charAt(end - 1) == '/') {
            end--;
        }
        if (start < end && isSimple(name, start, end)) {
            return new Clean(start == 0 && end == name.length() ? name : name.substring(start, end), false, false, false);
        }
        return resolve("", name);
    }

    /** No empty, "." or ".." component, and relative. */
    private static boolean isSimple(String name, int start, int end) {
        int componentStart = start;
        for (int i = start; i <= end; i++) {
            if (i == end || name.charAt(i) == '/') {
                int length = i - componentStart;
                if (length == 0) {
                    return false;
                }
                if (name.charAt(componentStart) == '.' && (length == 1
                        || (length == 2 && name.charAt(componentStart + 1) == '.'))) {
                    return false;
                }
                componentStart = i + 1;
            }
        }
        return true;
    }

    /**
     * Resolves {@code name} starting from directory {@code base} (itself clean and relative), or from
     * the root when {@code name} is absolute, as a symlink target is resolved.
     */
    static Clean resolve(String base, String name) {
        boolean absolute = name.startsWith("/");
        Deque<String> parts = new ArrayDeque<>();
        if (!absolute && !base.isEmpty()) {
            for (String part : base.split("/")) {
                parts.addLast(part);
            }
        }
        boolean traversal = false;
        boolean escapes = false;
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                traversal = true;
                if (parts.isEmpty()) {
                    escapes = true;
                } else {
                    parts.removeLast();
                }
            } else {
                parts.addLast(part);
            }
        }
        return new Clean(String.join("/", parts), absolute, traversal, escapes);
    }

    /** The directory part of a clean path ({@code ""} at the root). */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The last component of a clean path. */
    static String base(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** {@code parent/child}, or {@code child} at the root. */
    static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "/" + child;
    }
}
