package io.gantry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads just enough of an ELF executable to tell whether it is statically linked: a dynamically
 * linked one has a {@code PT_INTERP} program header naming its loader.
 */
final class ElfFile {

    private static final int PT_INTERP = 3;

    private ElfFile() {
    }

    static boolean isStaticallyLinked(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(64);
            channel.read(header, 0);
            header.flip();
            if (header.remaining() < 64 || header.getInt(0) != 0x7f454c46) {
                throw new IllegalArgumentException(file + " is not an ELF executable");
            }
            boolean is64 = header.get(4) == 2;
            header.order(header.get(5) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            long programHeaders = is64 ? header.getLong(32) : Integer.toUnsignedLong(header.getInt(28));
            int entrySize = Short.toUnsignedInt(header.getShort(is64 ? 54 : 42));
            int count = Short.toUnsignedInt(header.getShort(is64 ? 56 : 44));
            ByteBuffer table = ByteBuffer.allocate(entrySize * count).order(header.order());
            channel.read(table, programHeaders);
            for (int i = 0; i < count; i++) {
                if (table.getInt(i * entrySize) == PT_INTERP) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
