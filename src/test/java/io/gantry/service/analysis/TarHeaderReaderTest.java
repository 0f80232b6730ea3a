package io.gantry.service.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class TarHeaderReaderTest {

    private static final String LONG_DIR = "very/" + "long-directory-name/".repeat(8);
    private static final String LONG_NAME = LONG_DIR + "file.txt";

    @Test
    void readsGnuLongNamesAndLinks() throws IOException {
        byte[] tar = write(TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.BIGNUMBER_STAR);
        assertEntries(read(tar));
    }

    @Test
    void readsPaxLongNamesLinksAndBigNumbers() throws IOException {
        byte[] tar = write(TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.BIGNUMBER_POSIX);
        assertEntries(read(tar));
    }

    private static void assertEntries(List<TarHeader> headers) {
        assertThat(headers).extracting(TarHeader::name).containsExactly(LONG_NAME, "link", "big-ids", "dir/");
        assertThat(headers.get(0).size()).isEqualTo(5);
        assertThat(headers.get(0).type()).isEqualTo('0');
        assertThat(headers.get(1).linkName()).isEqualTo(LONG_NAME);
        assertThat(headers.get(1).type()).isEqualTo('2');
        assertThat(headers.get(2).uid()).isEqualTo(3_000_000_000L);
        assertThat(headers.get(2).gid()).isEqualTo(4_000_000_000L);
        assertThat(headers.get(3).type()).isEqualTo('5');
    }

    @Test
    void readsTheUstarPrefixField() throws IOException {
        byte[] tar = write(TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.BIGNUMBER_POSIX);
        // Rewrite the first entry by hand as a plain ustar header with name split over prefix and name.
        byte[] header = new byte[512];
        putString(header, 0, "file.txt");
        putString(header, 100, "0000644");
        putString(header, 108, "0000000");
        putString(header, 116, "0000000");
        putString(header, 124, "00000000000");
        header[156] = '0';
        putString(header, 257, "ustar");
        putString(header, 263, "00");
        putString(header, 345, "some/prefix");
        checksum(header);
        byte[] archive = Arrays.copyOf(header, 512 + 1024);
        assertThat(read(archive)).extracting(TarHeader::name).containsExactly("some/prefix/file.txt");
        assertThat(tar).isNotEmpty();
    }

    @Test
    void badChecksumIsCorrupt() {
        byte[] junk = new byte[1024];
        Arrays.fill(junk, 0, 512, (byte) 'x');
        assertThatThrownBy(() -> read(junk)).isInstanceOf(TarHeaderReader.CorruptTar.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void aChecksumOverSignedBytesAsOldTarsWroteItIsAcceptedAndOneMatchingNeitherSumIsNot() throws IOException {
        byte[] header = new byte[512];
        byte[] name = "caf\u00e9-\u00fcber.txt".getBytes(java.nio.charset.StandardCharsets.UTF_8); // bytes of 0x80 and above
        System.arraycopy(name, 0, header, 0, name.length);
        putString(header, 100, "0000644");
        putString(header, 108, "0000000");
        putString(header, 116, "0000000");
        putString(header, 124, "00000000000");
        header[156] = '0';
        Arrays.fill(header, 148, 156, (byte) ' ');
        long signed = 0;
        long unsigned = 0;
        for (byte b : header) {
            signed += b;
            unsigned += b & 0xff;
        }
        assertThat(signed).isLessThan(unsigned);

        putString(header, 148, String.format("%06o", signed));
        header[154] = 0;
        assertThat(read(Arrays.copyOf(header, 512 + 1024))).singleElement().extracting(TarHeader::size).isEqualTo(0L);

        putString(header, 148, String.format("%06o", unsigned + 1));
        assertThatThrownBy(() -> read(Arrays.copyOf(header, 512 + 1024))).isInstanceOf(TarHeaderReader.CorruptTar.class)
                .hasMessageContaining("checksum");
    }

    /**
     * The checksum is summed eight bytes at a time: headers whose free text fields hold random
     * bytes (0x00 to 0xff, seeded), and one holding 0xff wherever a number is not, are accepted
     * with their unsigned sum and rejected with the sum one off either way.
     */
    @Test
    void theChecksumOfAnyBytesIsTheirUnsignedSumAndNothingElse() throws IOException {
        java.util.Random random = new java.util.Random(20);
        for (int n = 0; n <= 2_000; n++) {
            byte[] header = new byte[512];
            int[][] free = {{0, 100}, {157, 257}, {265, 329}, {345, 512}};
            for (int[] range : free) {
                for (int i = range[0]; i < range[1]; i++) {
                    header[i] = n == 0 ? (byte) 0xff : (byte) random.nextInt(256);
                }
            }
            header[0] = 'f'; // a name that does not end in '/'
            header[99] = 'x';
            putString(header, 100, "0000644");
            putString(header, 108, "0000000");
            putString(header, 116, "0000000");
            putString(header, 124, "00000000000");
            header[156] = '0';
            Arrays.fill(header, 148, 156, (byte) random.nextInt(256)); // the reader counts them as spaces
            long sum = 8 * ' ';
            for (int i = 0; i < 512; i++) {
                sum += i >= 148 && i < 156 ? 0 : header[i] & 0xff;
            }
            for (long off : new long[] {-1, 1}) {
                putString(header, 148, String.format("%06o", sum + off));
                header[154] = 0;
                header[155] = ' ';
                byte[] wrong = Arrays.copyOf(header, 512 + 1024);
                long signed = sum - 256L * countHighBytes(header);
                if (sum + off != signed) {
                    assertThatThrownBy(() -> read(wrong)).as("header %d, sum %+d", n, off)
                            .isInstanceOf(TarHeaderReader.CorruptTar.class).hasMessageContaining("checksum");
                }
            }
            putString(header, 148, String.format("%06o", sum));
            header[154] = 0;
            header[155] = ' ';
            assertThat(read(Arrays.copyOf(header, 512 + 1024))).as("header %d", n).hasSize(1);
        }
    }

    private static int countHighBytes(byte[] header) {
        int count = 0;
        for (int i = 0; i < 512; i++) {
            if ((i < 148 || i >= 156) && header[i] < 0) {
                count++;
            }
        }
        return count;
    }

    @Test
    void dataCutShortIsEof() throws IOException {
        byte[] tar = write(TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.BIGNUMBER_STAR);
        int firstData = 512 * 3; // GNU long-name header, its data block, the entry header
        assertThatThrownBy(() -> read(Arrays.copyOf(tar, firstData + 2))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read(Arrays.copyOf(tar, 700))).isInstanceOf(EOFException.class);
    }

    private static List<TarHeader> read(byte[] tar) throws IOException {
        TarHeaderReader reader = new TarHeaderReader(new ByteArrayInputStream(tar), 1 << 20);
        List<TarHeader> headers = new ArrayList<>();
        TarHeader header;
        while ((header = reader.next()) != null) {
            headers.add(header);
        }
        return headers;
    }

    private static byte[] write(int longFileMode, int bigNumberMode) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(longFileMode);
            tar.setBigNumberMode(bigNumberMode);
            TarArchiveEntry file = new TarArchiveEntry(LONG_NAME);
            file.setSize(5);
            file.setModTime(new Date(0));
            tar.putArchiveEntry(file);
            tar.write("hello".getBytes());
            tar.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("link", TarConstants.LF_SYMLINK);
            link.setLinkName(LONG_NAME);
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            TarArchiveEntry ids = new TarArchiveEntry("big-ids");
            ids.setUserId(3_000_000_000L);
            ids.setGroupId(4_000_000_000L);
            tar.putArchiveEntry(ids);
            tar.closeArchiveEntry();
            tar.putArchiveEntry(new TarArchiveEntry("dir/"));
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    private static void putString(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes();
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static void checksum(byte[] header) {
        Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        putString(header, 148, String.format("%06o", sum));
        header[154] = 0;
    }
}
