package io.gantry.service.analysis;

/**
 * One tar entry header, with GNU long names and PAX overrides applied.
 *
 * @param name     the entry name as written (not yet cleaned)
 * @param linkName link target for hard and symbolic links; empty otherwise
 * @param type     the typeflag byte ({@code '0'} file, {@code '5'} directory, {@code '2'} symlink…)
 * @param size     bytes of data that follow the header
 * @param mode     mode bits as written (may include file-type bits)
 * @param uid      owner user ID
 * @param gid      owner group ID
 */
record TarHeader(String name, String linkName, char type, long size, int mode, long uid, long gid) {
}
