package io.gantry.service.analysis;

import static io.gantry.service.analysis.TarBuilder.tar;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class LayerScannerTest {

    private final LayerScanner scanner = new LayerScanner();

    private static final TarBuilder SAMPLE = tar()
            .dir("etc")
            .file("etc/hosts", "127.0.0.1 localhost\n")
            .symlink("etc/localtime", "/usr/share/zoneinfo/UTC")
            .hardlink("etc/hosts.bak", "etc/hosts")
            .charDevice("dev/null", 1, 3)
            .fifo("run/pipe")
            .file("usr/bin/sudo", new byte[10], 04755);

    @Test
    void readsPlainGzipAndZstdAlikeByMagicBytes() {
        LayerScan plain = scan(SAMPLE.plain());
        LayerScan gzip = scan(SAMPLE.gzip());
        LayerScan zstd = scan(SAMPLE.zstd());
        assertThat(plain.compression()).isEqualTo(Compression.NONE);
        assertThat(gzip.compression()).isEqualTo(Compression.GZIP);
        assertThat(zstd.compression()).isEqualTo(Compression.ZSTD);
        for (LayerScan scan : List.of(plain, gzip, zstd)) {
            assertThat(scan.complete()).as(String.valueOf(scan.failure())).isTrue();
            assertThat(scan.entries()).isEqualTo(plain.entries());
            assertThat(scan.uncompressedBytes()).isEqualTo(SAMPLE.plain().length);
        }
        assertThat(gzip.compressedBytes()).isEqualTo(SAMPLE.gzip().length);
    }

    @Test
    void recordsTypesSizesModesOwnersAndLinkTargets() {
        List<LayerEntry> entries = scan(SAMPLE.gzip()).entries();
        assertThat(entries).extracting(LayerEntry::path, LayerEntry::type).containsExactly(
                tuple("etc", EntryType.DIRECTORY), tuple("etc/hosts", EntryType.FILE),
                tuple("etc/localtime", EntryType.SYMLINK), tuple("etc/hosts.bak", EntryType.HARDLINK),
                tuple("dev/null", EntryType.CHAR_DEVICE), tuple("run/pipe", EntryType.FIFO),
                tuple("usr/bin/sudo", EntryType.FILE));
        LayerEntry hosts = entries.get(1);
        assertThat(hosts.size()).isEqualTo(20);
        assertThat(hosts.mode()).isEqualTo(0644);
        assertThat(hosts.modeString()).isEqualTo("-rw-r--r--");
        assertThat(hosts.uid()).isEqualTo(1000);
        assertThat(hosts.gid()).isEqualTo(1000);
        assertThat(entries.get(2).linkTarget()).isEqualTo("/usr/share/zoneinfo/UTC");
        assertThat(entries.get(2).flags()).isEmpty();
        assertThat(entries.get(3).linkTarget()).isEqualTo("etc/hosts");
        assertThat(entries.get(4).flags()).containsExactly(EntryFlag.DEVICE);
        assertThat(entries.get(6).flags()).containsExactly(EntryFlag.SETUID);
        assertThat(entries.get(6).modeString()).isEqualTo("-rwsr-xr-x");
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesBecomeDeletionEntries() {
        LayerScan scan = scan(tar().whiteout("etc/motd").opaque("var/cache").file("var/cache/.wh..wh.plnk", 0)
                .file("./a/./b", "x").gzip());
        assertThat(scan.entries()).extracting(LayerEntry::path, LayerEntry::type).containsExactly(
                tuple("etc/motd", EntryType.WHITEOUT), tuple("var/cache", EntryType.OPAQUE_WHITEOUT),
                tuple("a/b", EntryType.FILE));
        assertThat(scan.entries().get(0).rawName()).isEqualTo("etc/.wh.motd");
    }

    @Test
    void flagsEntriesThatTryToLeaveTheRoot() {
        LayerScan scan = scan(tar()
                .file("../../etc/passwd", "evil")
                .file("/abs/file", "x")
                .file("a/../b", "y")
                .symlink("lib/escape", "../../../etc/shadow")
                .symlink("usr/lib/ok", "../../lib/ok")
                .hardlink("hl", "../outside")
                .plain());
        assertThat(scan.complete()).isTrue();
        List<LayerEntry> e = scan.entries();
        assertThat(e.get(0).flags()).containsExactly(EntryFlag.ESCAPES_ROOT);
        assertThat(e.get(0).path()).isEqualTo("../../etc/passwd");
        assertThat(e.get(1).flags()).containsExactly(EntryFlag.ABSOLUTE_PATH);
        assertThat(e.get(1).path()).isEqualTo("abs/file");
        assertThat(e.get(2).flags()).containsExactly(EntryFlag.PARENT_TRAVERSAL);
        assertThat(e.get(2).path()).isEqualTo("b");
        assertThat(e.get(3).flags()).containsExactly(EntryFlag.LINK_ESCAPES);
        assertThat(e.get(4).flags()).isEmpty();
        assertThat(e.get(5).flags()).containsExactly(EntryFlag.LINK_ESCAPES);
        assertThat(scan.flaggedEntries()).hasSize(5);
    }

    @Test
    void stopsACompressionBombAtTheLimitWithoutHoldingItsBytes() throws IOException {
        // 10 GiB of zeros, gzip-compressed as 160 members of 64 MiB (about 10 MB in all). To a tar
        // reader zero blocks mean "end of archive"; the rest is decompressed (to check the gzip
        // trailers) and that is where the limit must strike.
        byte[] bomb = GzipBomb.zeros(160);
        assertThat(bomb.length).isLessThan(20_000_000);
        LayerScanner limited = new LayerScanner(ScanLimits.DEFAULT.withMaxUncompressedBytes(256L << 20));
        long usedBefore = usedHeap();
        LayerScan scan = limited.scan(new ByteArrayInputStream(bomb));
        assertThat(scan.failure()).get().extracting(ScanFailure::problem).isEqualTo(ScanFailure.Problem.LIMIT_EXCEEDED);
        assertThat(scan.failure().get().message()).contains("268435456").contains("compression bomb");
        assertThat(scan.uncompressedBytes()).isEqualTo((256L << 20) + 1);
        assertThat(usedHeap() - usedBefore).as("heap growth").isLessThan(64L << 20);
    }

    @Test
    void stopsABombOfManyEntriesAtTheFirstEntryThatDoesNotFit() throws IOException {
        // 160 entries of 64 MiB of zeros: the 4th header declares more than a 256 MiB limit has left.
        byte[] bomb = GzipBomb.entriesOfZeros(160);
        LayerScanner limited = new LayerScanner(ScanLimits.DEFAULT.withMaxUncompressedBytes(256L << 20));
        LayerScan scan = limited.scan(new ByteArrayInputStream(bomb));
        assertThat(scan.failure()).get().extracting(ScanFailure::problem).isEqualTo(ScanFailure.Problem.LIMIT_EXCEEDED);
        assertThat(scan.failure().get().message()).contains("zero-3").contains("268435456");
        assertThat(scan.entries()).hasSize(4); // read before the limit struck, shown for what they are
        assertThat(scan.entries().get(3).flags()).containsExactly(EntryFlag.ABSURD_SIZE);
        assertThat(scan.uncompressedBytes()).isLessThanOrEqualTo(256L << 20);
    }

    @Test
    void anEntryDeclaringMoreThanTheLimitFailsAtItsHeader() {
        byte[] layer = GzipBomb.singleEntryDeclaring(10L << 30);
        LayerScanner limited = new LayerScanner(ScanLimits.DEFAULT.withMaxUncompressedBytes(1L << 30));
        LayerScan scan = limited.scan(new ByteArrayInputStream(layer));
        assertThat(scan.failure()).get().extracting(ScanFailure::problem).isEqualTo(ScanFailure.Problem.LIMIT_EXCEEDED);
        assertThat(scan.entries()).singleElement().satisfies(e -> {
            assertThat(e.flags()).contains(EntryFlag.ABSURD_SIZE);
            assertThat(e.size()).isEqualTo(10L << 30);
        });
        assertThat(scan.uncompressedBytes()).isLessThan(1L << 20);
    }

    @Test
    void tooManyEntries() {
        LayerScan scan = new LayerScanner(ScanLimits.DEFAULT.withMaxEntries(2))
                .scan(new ByteArrayInputStream(tar().file("a", "1").file("b", "2").file("c", "3").plain()));
        assertThat(scan.failure()).get().extracting(ScanFailure::problem).isEqualTo(ScanFailure.Problem.TOO_MANY_ENTRIES);
        assertThat(scan.entries()).hasSize(2);
    }

    @Test
    void oversizedLongNameHeaderIsRefusedBeforeItIsRead() {
        byte[] header = new byte[512];
        byte[] name = "././@LongLink".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, header, 0, name.length);
        put(header, 100, "0000644\0");
        put(header, 124, "77777777777\0"); // 8 GiB - 1 in octal
        header[156] = 'L';
        put(header, 257, "ustar\0");
        put(header, 263, "00");
        Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o\0 ", sum));
        LayerScan scan = scanner.scan(new ByteArrayInputStream(header));
        assertThat(scan.failure()).get().extracting(ScanFailure::problem).isEqualTo(ScanFailure.Problem.TOO_MANY_ENTRIES);
        assertThat(scan.failure().get().message()).contains("type 'L'");
    }

    @Test
    void truncatedGzipIsAClearPerLayerError() {
        byte[] gzip = tar().file("big", new byte[100_000], 0644).file("after", "x").gzip();
        LayerScan scan = scan(Arrays.copyOf(gzip, gzip.length / 2));
        assertThat(scan.failure()).get().extracting(ScanFailure::problem).isEqualTo(ScanFailure.Problem.TRUNCATED);
        assertThat(scan.failure().get().message()).contains("ends early");
    }

    @Test
    void gzipMissingOnlyItsTrailerIsTruncatedToo() {
        byte[] gzip = tar().file("a", "1").gzip();
        LayerScan scan = scan(Arrays.copyOf(gzip, gzip.length - 4));
        assertThat(scan.failure()).get().extracting(ScanFailure::problem).isEqualTo(ScanFailure.Problem.TRUNCATED);
    }

    @Test
    void truncatedPlainTarInsideAFile() {
        byte[] plain = tar().file("big", new byte[100_000], 0644).plain();
        LayerScan scan = scan(Arrays.copyOf(plain, 50_000));
        assertThat(scan.failure()).get().extracting(ScanFailure::problem).isEqualTo(ScanFailure.Problem.TRUNCATED);
    }

    @Test
    void corruptGzipData() {
        byte[] gzip = tar().file("a", new byte[50_000], 0644).gzip();
        for (int i = 20; i < gzip.length - 10; i++) {
            gzip[i] ^= (byte) 0x5a;
        }
        LayerScan scan = scan(gzip);
        assertThat(scan.failure()).get().extracting(ScanFailure::problem)
                .isIn(ScanFailure.Problem.CORRUPT, ScanFailure.Problem.TRUNCATED);
    }

    @Test
    void garbageThatIsNotATar() {
        byte[] junk = new byte[4096];
        Arrays.fill(junk, (byte) 'x');
        LayerScan scan = scan(junk);
        assertThat(scan.failure()).get().extracting(ScanFailure::problem).isEqualTo(ScanFailure.Problem.CORRUPT);
    }

    @Test
    void unsupportedCompressionIsNamed() {
        LayerScan scan = scan("BZh91AY&SY".getBytes(StandardCharsets.US_ASCII));
        assertThat(scan.failure()).get().extracting(ScanFailure::problem).isEqualTo(ScanFailure.Problem.UNSUPPORTED_FORMAT);
        assertThat(scan.failure().get().message()).contains("bzip2");
    }

    @Test
    void sourceErrorsAreReadFailuresNotCorruption() {
        byte[] gzip = tar().file("a", new byte[100_000], 0644).gzip();
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(gzip, 0, 100), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });
        LayerScan scan = scanner.scan(failing);
        assertThat(scan.failure()).get().satisfies(f -> {
            assertThat(f.problem()).isEqualTo(ScanFailure.Problem.READ_FAILED);
            assertThat(f.message()).contains("connection reset");
            assertThat(f.toException("analyse layer").kind()).isEqualTo(io.gantry.core.ErrorKind.UNAVAILABLE);
            assertThat(f.toException("analyse layer").code()).contains("LAYER_READ_FAILED");
        });
    }

    @Test
    void anInterruptedScanStopsAsCancelled() throws IOException {
        byte[] bomb = GzipBomb.zeros(16);
        Thread.currentThread().interrupt();
        try {
            LayerScan scan = scan(bomb);
            assertThat(scan.failure()).get().extracting(ScanFailure::problem).isEqualTo(ScanFailure.Problem.CANCELLED);
            assertThat(scan.uncompressedBytes()).isLessThan(1L << 20);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aScanWaitingForAStalledSourceIsCancelledByAnInterrupt() throws Exception {
        byte[] gzip = tar().file("a", new byte[100_000], 0644).file("b", "b").gzip();
        CountDownLatch release = new CountDownLatch(1);
        InputStream stalls = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read in blocks only");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                // like a socket read: an interrupt does not end it
                boolean released = false;
                while (!released) {
                    try {
                        release.await();
                        released = true;
                    } catch (InterruptedException e) {
                        // keep waiting
                    }
                }
                return -1;
            }
        };
        CompletableFuture<LayerScan> result = new CompletableFuture<>();
        Thread scanning = new Thread(() -> result.complete(scanner.scan(
                new SequenceInputStream(new ByteArrayInputStream(gzip, 0, 40), stalls))), "scan-test");
        scanning.start();
        try {
            scanning.interrupt();
            LayerScan scan = result.get(60, TimeUnit.SECONDS);
            assertThat(scan.failure()).get().extracting(ScanFailure::problem).isEqualTo(ScanFailure.Problem.CANCELLED);
        } finally {
            release.countDown();
        }
    }

    @Test
    void emptyStreamIsAnEmptyLayer() {
        LayerScan scan = scan(new byte[0]);
        assertThat(scan.complete()).isTrue();
        assertThat(scan.entries()).isEmpty();
    }

    @Test
    void concatenatedGzipMembersAreOneLayer() throws IOException {
        byte[] plain = tar().file("a", "1").file("b", "2").plain();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(TarBuilder.gzip(Arrays.copyOfRange(plain, 0, 700)));
        out.write(TarBuilder.gzip(Arrays.copyOfRange(plain, 700, plain.length)));
        LayerScan scan = scan(out.toByteArray());
        assertThat(scan.complete()).as(String.valueOf(scan.failure())).isTrue();
        assertThat(scan.entries()).extracting(LayerEntry::path).containsExactly("a", "b");
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    private LayerScan scan(byte[] blob) {
        return scanner.scan(new ByteArrayInputStream(blob));
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    /** Builds gzip bombs out of concatenated members, compressing each distinct piece once. */
    static final class GzipBomb {
        private static final int CHUNK = 64 << 20;

        static byte[] zeros(int chunks) throws IOException {
            byte[] zeros = gzipMember(new byte[CHUNK]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < chunks; i++) {
                out.write(zeros);
            }
            return out.toByteArray();
        }

        static byte[] entriesOfZeros(int entries) throws IOException {
            byte[] zeros = gzipMember(new byte[CHUNK]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < entries; i++) {
                out.write(gzipMember(header("zero-" + i, CHUNK)));
                out.write(zeros);
            }
            out.write(gzipMember(new byte[1024]));
            return out.toByteArray();
        }

        static byte[] singleEntryDeclaring(long size) {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(gzipMember(header("huge", size)));
                out.write(gzipMember(new byte[CHUNK / 64]));
                return out.toByteArray();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** The 512-byte tar header of a regular file (no data). */
        private static byte[] header(String name, long size) throws IOException {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry e =
                    new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
            e.setSize(size);
            byte[] record = new byte[512];
            e.writeEntryHeader(record, org.apache.commons.compress.archivers.zip.ZipEncodingHelper.getZipEncoding(
                    StandardCharsets.UTF_8), true);
            return record;
        }

        private static byte[] gzipMember(byte[] data) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
                gz.write(data);
            }
            return out.toByteArray();
        }

        private GzipBomb() {
        }
    }

    @SuppressWarnings("unused")
    private static final List<Object> KEEP = Collections.emptyList();
}
