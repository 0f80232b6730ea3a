package io.gantry.service;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code docker images [REPOSITORY[:TAG]] --filter …} over any endpoint: the filters docker's
 * image list takes ({@code dangling}, {@code label}, {@code before}, {@code since},
 * {@code reference}), and one row per repository and tag as docker prints them, where a dangling
 * image that still has a digest shows its repository (tag {@code <none>}).
 */
public final class ImageListing {

    /** The filter keys docker's image list accepts and Gantry implements. */
    public static final List<String> FILTERS = List.of("dangling", "label", "before", "since", "reference");

    /** One row: an image under one repository and tag, with the digest of that repository if any. */
    public record Row(ImageSummary image, String repository, String tag, String digest) {
    }

    private ImageListing() {
    }

    /**
     * The rows of {@code images} that pass {@code filters} ({@code key=value} strings, all keys
     * ANDed; several values of one key ORed, as docker) and the positional {@code REPOSITORY[:TAG]}.
     * {@code INVALID_INPUT} for an unknown key or a bad value; {@code NOT_FOUND} for a before/since
     * image that does not exist.
     */
    public static List<Row> rows(ImageStore store, List<ImageSummary> images, List<String> filters,
                                 Optional<String> repositoryAndTag) {
        Map<String, List<String>> byKey = new HashMap<>();
        for (String filter : filters) {
            int eq = filter.indexOf('=');
            String key = eq < 0 ? filter : filter.substring(0, eq);
            if (!FILTERS.contains(key) || eq < 0) {
                throw new GantryException(ErrorKind.INVALID_INPUT, "filter images", "invalid filter '" + filter + "'",
                        null, 0, "Filters: " + String.join("=…, ", FILTERS) + "=… (as docker images --filter).", null);
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(filter.substring(eq + 1));
        }
        List<Row> rows = new ArrayList<>();
        for (ImageSummary image : images) {
            if (!passes(store, images, image, byKey)) {
                continue;
            }
            for (Row row : rowsOf(image)) {
                if (repositoryAndTag.map(wanted -> matchesPositional(row, wanted)).orElse(true)
                        && matchesReference(row, byKey.get("reference"))) {
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** The rows docker prints for one image. */
    public static List<Row> rowsOf(ImageSummary image) {
        List<Row> rows = new ArrayList<>();
        for (String repoTag : image.repoTags()) {
            int colon = repoTag.lastIndexOf(':');
            boolean hasTag = colon > repoTag.lastIndexOf('/');
            String repository = hasTag ? repoTag.substring(0, colon) : repoTag;
            rows.add(new Row(image, repository, hasTag ? repoTag.substring(colon + 1) : ImageTable.NONE,
                    digestOf(image, repository)));
        }
        if (rows.isEmpty()) {
            // dangling: docker still shows the repository a digest names
            for (String repoDigest : image.repoDigests()) {
                int at = repoDigest.indexOf('@');
                if (at > 0) {
                    rows.add(new Row(image, repoDigest.substring(0, at), ImageTable.NONE, repoDigest.substring(at + 1)));
                }
            }
        }
        if (rows.isEmpty()) {
            rows.add(new Row(image, ImageTable.NONE, ImageTable.NONE, ImageTable.NONE));
        }
        return rows;
    }

    private static String digestOf(ImageSummary image, String repository) {
        // a loop, not a stream: this runs for each of 10,000 rows, mostly over no digests at all
        for (String d : image.repoDigests()) {
            if (d.length() > repository.length() && d.startsWith(repository) && d.charAt(repository.length()) == '@') {
                return d.substring(d.indexOf('@') + 1);
            }
        }
        return ImageTable.NONE;
    }

    private static boolean passes(ImageStore store, List<ImageSummary> all, ImageSummary image,
                                  Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> filter : filters.entrySet()) {
            boolean any = false;
            for (String value : filter.getValue()) {
                any |= switch (filter.getKey()) {
                    case "dangling" -> dangling(value) == image.dangling();
                    case "label" -> hasLabel(store, image, value);
                    case "before" -> image.created().isBefore(created(all, store, value));
                    case "since" -> image.created().isAfter(created(all, store, value));
                    default -> true; // reference: per row
                };
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    private static boolean dangling(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new GantryException(ErrorKind.INVALID_INPUT, "filter images",
                    "invalid filter 'dangling=" + value + "'", null, 0, "Use dangling=true or dangling=false.", null);
        };
    }

    private static boolean hasLabel(ImageStore store, ImageSummary image, String value) {
        Map<String, String> labels = store.inspect(ImageKey.of(image.id())).config().labels();
        int eq = value.indexOf('=');
        return eq < 0 ? labels.containsKey(value) : value.substring(eq + 1).equals(labels.get(value.substring(0, eq)));
    }

    private static java.time.Instant created(List<ImageSummary> all, ImageStore store, String image) {
        var id = store.inspect(ImageKey.parse(image)).id();
        return all.stream().filter(s -> s.id().equals(id)).map(ImageSummary::created).findFirst()
                .orElseGet(() -> store.inspect(ImageKey.of(id)).created());
    }

    private static boolean matchesPositional(Row row, String wanted) {
        int colon = wanted.lastIndexOf(':');
        boolean hasTag = colon > wanted.lastIndexOf('/');
        String repository = hasTag ? wanted.substring(0, colon) : wanted;
        return familiar(row.repository()).equals(familiar(repository))
                && (!hasTag || row.tag().equals(wanted.substring(colon + 1)));
    }

    private static boolean matchesReference(Row row, List<String> patterns) {
        if (patterns == null) {
            return true;
        }
        if (row.repository().equals(ImageTable.NONE)) {
            return false;
        }
        String name = familiar(row.repository());
        String full = name + ":" + row.tag();
        for (String pattern : patterns) {
            Pattern glob = glob(pattern);
            if (glob.matcher(full).matches() || glob.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Docker Hub names as docker prints them: {@code docker.io/library/alpine} is {@code alpine}. */
    static String familiar(String repository) {
        if (repository.startsWith("docker.io/library/")) {
            return repository.substring("docker.io/library/".length());
        }
        return repository.startsWith("docker.io/") ? repository.substring("docker.io/".length()) : repository;
    }

    /** Go's {@code path.Match} pattern as a regex: {@code *} and {@code ?} do not cross {@code /}. */
    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> regex.append("[^/]*");
                case '?' -> regex.append("[^/]");
                case '[' -> {
                    int end = pattern.indexOf(']', i);
                    if (end < 0) {
                        regex.append("\\[");
                    } else {
                        regex.append('[').append(pattern.substring(i + 1, end).replace("\\", "\\\\")
                                .replaceFirst("^\\^", "^")).append(']');
                        i = end;
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
