package io.gantry.service;

import io.gantry.engine.ImageSummary;
import java.math.BigDecimal;
import java.math.MathContext;
import java.text.CollationKey;
import java.text.Collator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code docker images} presents images, shared by the GUI and the CLI: one row per tag
 * ({@code <none>} for dangling images), sizes in decimal units with three significant digits, and
 * creation times as "3 days ago" (go-units' {@code HumanDuration}).
 */
public final class ImageTable {

    public static final String NONE = "<none>";
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

    private ImageTable() {
    }

    /**
     * One row of {@code docker images}: a repository and tag naming an image, with the keys a table
     * sorts the names by (the locale's collation, made once per row where the rows are made, so a
     * sort of 10,000 rows compares keys and never collates or formats a cell's text).
     */
    public record Row(ImageSummary image, String repository, String tag, String createdAgo,
                      CollationKey repositoryKey, CollationKey tagKey) {
    }

    public static List<Row> rows(ImageSummary image) {
        return rows(image, Instant.now());
    }

    public static List<Row> rows(ImageSummary image, Instant now) {
        return rows(image, now, Collator.getInstance());
    }

    /** The rows of {@code image}, its names keyed by {@code collator} (not thread-safe: one per thread). */
    public static List<Row> rows(ImageSummary image, Instant now, Collator collator) {
        return rows(image, now, new Names(collator));
    }

    /**
     * The rows of {@code image}, their texts and sort keys taken from {@code names}: the rows of one
     * listing made with one {@code Names} share each distinct repository, tag and age text and its
     * collation key (not thread-safe: one per thread).
     */
    public static List<Row> rows(ImageSummary image, Instant now, Names names) {
        String ago = names.text(ago(image.created(), now));
        List<Row> rows = new ArrayList<>();
        for (String repoTag : image.repoTags()) {
            int colon = repoTag.lastIndexOf(':');
            boolean hasTag = colon > repoTag.lastIndexOf('/');
            rows.add(row(image, names.text(hasTag ? repoTag.substring(0, colon) : repoTag),
                    hasTag ? names.text(repoTag.substring(colon + 1)) : NONE, ago, names));
        }
        if (rows.isEmpty()) {
            rows.add(row(image, NONE, NONE, ago, names));
        }
        return rows;
    }

    private static Row row(ImageSummary image, String repository, String tag, String ago, Names names) {
        return new Row(image, repository, tag, ago, names.key(repository), names.key(tag));
    }

    /**
     * The texts and collation keys of one listing's rows, each distinct one made once and shared: 10,000
     * images name some 2,000 repositories with a handful of tags and ages, and a row of its own copy of
     * each (and of two collation keys, a few times the text's size) held about 2 MB more of the
     * window's heap for as long as the listing is shown (docs/benchmarks.md). Not thread-safe: one per
     * thread, for one listing (it holds what it has seen until dropped).
     */
    public static final class Names {
        private final Collator collator;
        private final Map<String, String> texts = new HashMap<>();
        private final Map<String, CollationKey> keys = new HashMap<>();

        public Names(Collator collator) {
            this.collator = collator;
        }

        /** {@code text}, or the equal text seen before. */
        String text(String text) {
            String seen = texts.putIfAbsent(text, text);
            return seen != null ? seen : text;
        }

        /** The collation key of {@code text}, made once per distinct text. */
        CollationKey key(String text) {
            return keys.computeIfAbsent(text, collator::getCollationKey);
        }
    }

    /** {@code docker images}' SIZE: decimal units, three significant digits ("7.8MB", "128MB"). */
    public static String humanSize(long bytes) {
        if (bytes >= 0 && bytes < 1000) {
            return bytes + UNITS[0]; // three significant digits hold any count under 1000
        }
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        // The double rounded to three significant digits, half up, as a BigDecimal of its exact
        // binary value rounds it (below): without BigDecimal where the answer is certain, since a
        // layer's file list formats 100,000 sizes and BigDecimal was a fifth of that command's time.
        if (size >= 1 && size < 1000) {
            int decimals = size >= 100 ? 0 : size >= 10 ? 1 : 2;
            double scaled = size * (decimals == 0 ? 1 : decimals == 1 ? 10 : 100);
            double floor = Math.floor(scaled);
            double fraction = scaled - floor;
            if (Math.abs(fraction - 0.5) > 1e-6) {
                // far from a tie: the multiplication's rounding error (1e-13 here) cannot decide
                return plain((long) floor + (fraction > 0.5 ? 1 : 0), decimals, UNITS[unit]);
            }
            if (unit == 1) {
                // a tie in decimal (1005 bytes: 1.005 kB); the double of one division lies just below
                // or above it, which the division's exact remainder tells: below rounds down
                double remainder = Math.fma(-size, 1000, bytes);
                return plain((long) floor + (remainder > 0 ? 0 : 1), decimals, UNITS[unit]);
            }
        }
        BigDecimal rounded = new BigDecimal(size).round(new MathContext(3)).stripTrailingZeros();
        return rounded.toPlainString() + UNITS[unit];
    }

    /** {@code digits} with {@code decimals} (0 to 2) of them after the point, trailing zeros dropped, then {@code unit}. */
    private static String plain(long digits, int decimals, String unit) {
        long scale = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
        long fraction = digits % scale;
        StringBuilder text = new StringBuilder(8).append(digits / scale);
        if (fraction != 0) {
            text.append('.');
            if (decimals == 2) {
                text.append(fraction / 10);
                fraction %= 10;
            }
            if (fraction != 0) {
                text.append(fraction);
            }
        }
        return text.append(unit).toString();
    }

    /** "3 days ago", as the docker CLI says it. */
    public static String ago(Instant then, Instant now) {
        return humanDuration(Duration.between(then, now)) + " ago";
    }

    static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = d.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = (long) (d.toMillis() / 3_600_000.0 + 0.5);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return d.toHours() / 24 / 365 + " years";
    }
}
