package io.gantry.service.analysis;

import io.gantry.core.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/** Builds real layer tars in memory for tests: files, directories, links, whiteouts, devices. */
final class TarBuilder {

    private interface Step {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    /** Fixed modification time, so the same builder always writes the same bytes (and diff ID). */
    private static final java.util.Date MTIME = new java.util.Date(1_700_000_000_000L);

    private final List<Step> steps = new ArrayList<>();

    static TarBuilder tar() {
        return new TarBuilder();
    }

    TarBuilder dir(String name) {
        return dir(name, 0755);
    }

    TarBuilder dir(String name, int mode) {
        steps.add(tar -> {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            e.setMode(040000 | mode);
            e.setModTime(MTIME);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        });
        return this;
    }

    TarBuilder file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    TarBuilder file(String name, int size) {
        return file(name, new byte[size], 0644);
    }

    TarBuilder file(String name, byte[] content, int mode) {
        steps.add(tar -> {
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setSize(content.length);
            e.setMode(0100000 | mode);
            e.setIds(1000, 1000);
            e.setModTime(MTIME);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
        });
        return this;
    }

    /**
     * A file whose (long) name is given only by a PAX {@code path} record written here, its ustar
     * header naming it {@code f}. commons-compress shortens a long name for the 100-byte ustar field
     * by re-encoding it one character shorter each time, in quadratic time: a 60,000-level path
     * took minutes to build that way (issue 14; Gantry's own reading of it takes milliseconds).
     */
    TarBuilder paxFile(String name, int size) {
        steps.add(tar -> {
            byte[] record = paxRecord("path", name);
            TarArchiveEntry pax = new TarArchiveEntry("PaxHeaders/f", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
            pax.setSize(record.length);
            pax.setModTime(MTIME);
            tar.putArchiveEntry(pax);
            tar.write(record);
            tar.closeArchiveEntry();
            TarArchiveEntry e = new TarArchiveEntry("f", true);
            e.setSize(size);
            e.setMode(0100644);
            e.setModTime(MTIME);
            tar.putArchiveEntry(e);
            tar.write(new byte[size]);
            tar.closeArchiveEntry();
        });
        return this;
    }

    /** One PAX record, {@code "<length> key=value\n"}, its length counting its own digits. */
    private static byte[] paxRecord(String key, String value) {
        int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int length = body + String.valueOf(body).length();
        if (String.valueOf(length).length() != String.valueOf(body).length()) {
            length = body + String.valueOf(length).length();
        }
        return (length + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A file of {@code size} zero bytes written in chunks, never held in memory. */
    TarBuilder zeros(String name, long size) {
        steps.add(tar -> {
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setSize(size);
            e.setModTime(MTIME);
            tar.putArchiveEntry(e);
            byte[] chunk = new byte[64 * 1024];
            for (long left = size; left > 0; left -= chunk.length) {
                tar.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            tar.closeArchiveEntry();
        });
        return this;
    }

    TarBuilder symlink(String name, String target) {
        return link(name, target, TarConstants.LF_SYMLINK);
    }

    TarBuilder hardlink(String name, String target) {
        return link(name, target, TarConstants.LF_LINK);
    }

    TarBuilder whiteout(String deletedPath) {
        int slash = deletedPath.lastIndexOf('/');
        String dir = slash < 0 ? "" : deletedPath.substring(0, slash + 1);
        return file(dir + ".wh." + deletedPath.substring(slash + 1), new byte[0], 0644);
    }

    TarBuilder opaque(String dir) {
        return file(dir + "/.wh..wh..opq", new byte[0], 0644);
    }

    TarBuilder charDevice(String name, int major, int minor) {
        steps.add(tar -> {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
            e.setDevMajor(major);
            e.setDevMinor(minor);
            e.setMode(020666);
            e.setModTime(MTIME);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        });
        return this;
    }

    TarBuilder fifo(String name) {
        steps.add(tar -> {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_FIFO, true);
            e.setMode(010644);
            e.setModTime(MTIME);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        });
        return this;
    }

    private TarBuilder link(String name, String target, byte type) {
        steps.add(tar -> {
            TarArchiveEntry e = new TarArchiveEntry(name, type, true);
            e.setLinkName(target);
            e.setMode(0777);
            e.setModTime(MTIME);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        });
        return this;
    }

    /** Writes the tar to {@code out} (not closed). */
    void writeTo(OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Step step : steps) {
            step.write(tar);
        }
        tar.finish();
        tar.flush();
    }

    byte[] plain() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    byte[] gzip() {
        return gzip(plain());
    }

    byte[] zstd() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdCompressorOutputStream z = new ZstdCompressorOutputStream(out)) {
            writeTo(z);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The diff ID of this layer: sha256 of the uncompressed tar. */
    Digest diffId() {
        return Digest.sha256(plain());
    }
}
