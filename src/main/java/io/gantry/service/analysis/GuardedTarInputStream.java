package io.gantry.service.analysis;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * commons-compress's tar reader with one extra guard: GNU long-name/long-link and PAX extended
 * headers are read into memory whole, so a header claiming gigabytes is refused before it is read.
 */
final class GuardedTarInputStream extends TarArchiveInputStream {

    /** Raised for an oversized in-memory header. */
    static final class HeaderTooLarge extends IOException {
        HeaderTooLarge(char type, long size, int limit) {
            super("a tar header of type '" + type + "' declares " + size + " bytes (limit " + limit + ")");
        }
    }

    private static final int TYPE_OFFSET = 156;
    private static final int SIZE_OFFSET = 124;
    private static final int SIZE_LENGTH = 12;
    private static final String IN_MEMORY_TYPES = "LKxXg";

    private final int maxHeaderBytes;

    GuardedTarInputStream(InputStream in, int maxHeaderBytes) {
        super(in);
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    protected byte[] readRecord() throws IOException {
        byte[] record = super.readRecord();
        if (record != null && record.length > TYPE_OFFSET) {
            char type = (char) record[TYPE_OFFSET];
            if (IN_MEMORY_TYPES.indexOf(type) >= 0 && !allZero(record)) {
                long size;
                try {
                    size = TarUtils.parseOctalOrBinary(record, SIZE_OFFSET, SIZE_LENGTH);
                } catch (IllegalArgumentException e) {
                    return record; // not a valid header: the tar reader reports it
                }
                if (size > maxHeaderBytes) {
                    throw new HeaderTooLarge(type, size, maxHeaderBytes);
                }
            }
        }
        return record;
    }

    private static boolean allZero(byte[] record) {
        for (byte b : record) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
