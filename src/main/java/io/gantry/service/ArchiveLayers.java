package io.gantry.service;

import io.gantry.core.ChainIds;
import io.gantry.core.Digest;
import io.gantry.engine.ImageLayer;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PullProgress.Phase;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches an image archive (a tar: {@code docker save}'s, Podman's or an OCI layout) as it streams
 * past and tells how far each of the image's layers is, in rows like a pull's: {@code Waiting},
 * {@code Copying} with bytes of the layer's tar entry, {@code Copied}. It reads only the tar
 * headers (512-byte blocks, the ustar size and name fields, pax {@code path} records and GNU long
 * names); the bytes are not changed or kept.
 *
 * <p>An entry is a layer when its name ends in the layer's blob digest or diff ID
 * ({@code blobs/sha256/HEX} in Docker 25+ and OCI archives, {@code HEX.tar} in Podman's), or is
 * {@code CHAIN/layer.tar} with the layer's chain ID (the embedded store's {@code docker save}
 * format). Docker before 25 names layers {@code <v1 id>/layer.tar}, which says nothing about which
 * layer it is; it writes them bottom layer first, so such an entry is taken as the lowest layer not
 * seen yet. {@link #finished()} marks every row still not seen as {@code Copied} once the whole
 * archive went through.
 *
 * <p>Not thread-safe: one reader calls {@link #passed}.
 */
public final class ArchiveLayers {

    /** The words of a row whose layer is streaming. */
    public static final String COPYING = "Copying";
    /** The words of a row whose layer went through whole. */
    public static final String COPIED = "Copied";

    private static final int BLOCK = 512;
    private static final int MAX_NAME_BYTES = 64 * 1024;
    private static final Pattern HEX_NAME = Pattern.compile("(?:^|/)(?:sha256/)?([0-9a-f]{64})(?:\\.tar|/layer\\.tar)?$");
    private static final long REPORT_EVERY = 256 * 1024;

    private final Consumer<PullProgress> progress;
    private final Map<String, String> rowByHex = new HashMap<>();
    private final Map<String, Phase> rows = new LinkedHashMap<>();
    private final byte[] header = new byte[BLOCK];
    private int headerFilled;
    /** Data bytes of the current entry still to come, then its padding. */
    private long dataLeft;
    private long paddingLeft;
    /** The entry being passed: its row (when a layer), size and bytes so far. */
    private Optional<String> row = Optional.empty();
    private long entrySize;
    private long entryDone;
    private long reported;
    /** A pax or GNU long-name entry's data, collected to name the next entry. */
    private java.io.ByteArrayOutputStream nameData;
    private char nameKind;
    private Optional<String> nextName = Optional.empty();

    /**
     * @param layers   the image's layers, bottom first; each gets a row named by the short hex of
     *                 its blob digest (its diff ID where the endpoint keeps no blob)
     * @param progress hears each row's changes, on the reading thread
     */
    public ArchiveLayers(List<ImageLayer> layers, Consumer<PullProgress> progress) {
        this.progress = progress;
        List<Digest> chain = ChainIds.of(layers.stream().map(ImageLayer::diffId).toList());
        for (int i = 0; i < layers.size(); i++) {
            ImageLayer layer = layers.get(i);
            String id = layer.blob().orElse(layer.diffId()).shortHex();
            rowByHex.put(layer.diffId().hex(), id);
            rowByHex.putIfAbsent(chain.get(i).hex(), id);
            layer.blob().map(Digest::hex).ifPresent(hex -> rowByHex.put(hex, id));
            rows.putIfAbsent(id, Phase.WAITING);
        }
    }

    /** Says {@code Waiting} for every layer; call before the archive starts. */
    public void started() {
        rows.keySet().forEach(id -> progress.accept(new PullProgress(id, Phase.WAITING, 0, 0, "Waiting")));
    }

    /** The whole archive went through: rows not yet done say {@code Copied}. */
    public void finished() {
        rows.forEach((id, phase) -> {
            if (phase != Phase.PULL_COMPLETE) {
                progress.accept(new PullProgress(id, Phase.PULL_COMPLETE, 0, 0, COPIED));
            }
        });
        rows.replaceAll((id, phase) -> Phase.PULL_COMPLETE);
    }

    /** The next {@code length} bytes of the archive went past. */
    public void passed(byte[] bytes, int offset, int length) {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (dataLeft > 0) {
                int n = (int) Math.min(dataLeft, end - at);
                data(bytes, at, n);
                at += n;
                dataLeft -= n;
                if (dataLeft == 0) {
                    entryEnded();
                }
            } else if (paddingLeft > 0) {
                int n = (int) Math.min(paddingLeft, end - at);
                at += n;
                paddingLeft -= n;
            } else {
                int n = Math.min(BLOCK - headerFilled, end - at);
                System.arraycopy(bytes, at, header, headerFilled, n);
                headerFilled += n;
                at += n;
                if (headerFilled == BLOCK) {
                    headerFilled = 0;
                    header();
                }
            }
        }
    }

    private void header() {
        if (allZero()) {
            return; // the archive's end blocks
        }
        long size = size();
        char type = (char) header[156];
        String name = nextName.orElseGet(this::headerName);
        nextName = Optional.empty();
        dataLeft = size;
        paddingLeft = (BLOCK - size % BLOCK) % BLOCK;
        entrySize = size;
        entryDone = 0;
        reported = 0;
        row = Optional.empty();
        nameData = null;
        if (type == 'x' || type == 'L') {
            nameKind = type;
            nameData = new java.io.ByteArrayOutputStream();
        } else if ((type == '0' || type == '\0') && size > 0) {
            Matcher hex = HEX_NAME.matcher(name);
            row = hex.find() ? Optional.ofNullable(rowByHex.get(hex.group(1))) : Optional.empty();
            if (row.isEmpty() && name.endsWith("/layer.tar")) {
                // docker save before Docker 25: <v1 id>/layer.tar, written bottom layer first
                row = rows.entrySet().stream().filter(r -> r.getValue() == Phase.WAITING).map(Map.Entry::getKey).findFirst();
            }
            row.ifPresent(id -> {
                rows.put(id, Phase.DOWNLOADING);
                progress.accept(new PullProgress(id, Phase.DOWNLOADING, 0, entrySize, COPYING));
            });
        }
        if (dataLeft == 0) {
            entryEnded();
        }
    }

    private void data(byte[] bytes, int at, int n) {
        if (nameData != null && nameData.size() + n <= MAX_NAME_BYTES) {
            nameData.write(bytes, at, n);
        }
        if (row.isPresent()) {
            entryDone += n;
            if (entryDone - reported >= REPORT_EVERY && entryDone < entrySize) {
                reported = entryDone;
                progress.accept(new PullProgress(row.get(), Phase.DOWNLOADING, entryDone, entrySize, COPYING));
            }
        }
    }

    private void entryEnded() {
        if (nameData != null) {
            String text = nameData.toString(StandardCharsets.UTF_8);
            nextName = nameKind == 'L' ? Optional.of(text.replace("\0", "")) : paxPath(text);
            nameData = null;
        }
        row.ifPresent(id -> {
            rows.put(id, Phase.PULL_COMPLETE);
            progress.accept(new PullProgress(id, Phase.PULL_COMPLETE, entrySize, entrySize, COPIED));
        });
        row = Optional.empty();
    }

    /** The {@code path} record of a pax header ("LEN path=VALUE\n" records). */
    private static Optional<String> paxPath(String records) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return Optional.of(record.substring(space + 1 + "path=".length()));
            }
        }
        return Optional.empty();
    }

    private String headerName() {
        String name = field(0, 100);
        String magic = field(257, 6);
        if (magic.startsWith("ustar")) {
            String prefix = field(345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    /** The size field: octal digits, or base-256 when its first byte has the high bit set. */
    private long size() {
        if ((header[124] & 0x80) != 0) {
            long value = 0;
            for (int i = 125; i < 136; i++) {
                value = (value << 8) | (header[i] & 0xff);
            }
            return Math.max(0, value);
        }
        String octal = field(124, 12).trim();
        try {
            return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
        } catch (NumberFormatException e) {
            return 0; // not a tar the watcher understands: it reports nothing more about this entry
        }
    }

    private String field(int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private boolean allZero() {
        for (byte b : header) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
