package io.gantry.core;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The platform an image runs on: operating system, CPU architecture and optionally the variant
 * (e.g. {@code v7} for 32-bit ARM) and OS version (Windows builds), as written in image indexes
 * and image configs.
 *
 * <p>Values are kept as given; {@link #normalized()} applies the usual aliases (containerd's
 * {@code platforms.Normalize}): {@code x86_64} → {@code amd64}, {@code aarch64} → {@code arm64},
 * {@code arm64/v8} → {@code arm64} (v8 is arm64's baseline), {@code amd64/v1} → {@code amd64},
 * {@code arm} → {@code arm/v7}, {@code armhf} → {@code arm/v7}, {@code armel} → {@code arm/v6},
 * {@code i386} → {@code 386}. {@link #compatibility(Platform)} uses them to pick an image from
 * an index.
 */
public record Platform(String os, String architecture, Optional<String> variant, Optional<String> osVersion) {

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(osVersion, "osVersion");
        if (os.isBlank() || architecture.isBlank()) {
            throw new IllegalArgumentException("a platform needs an os and an architecture, got '" + os + "/" + architecture + "'");
        }
        variant = variant.filter(v -> !v.isEmpty());
        osVersion = osVersion.filter(v -> !v.isEmpty());
    }

    public static Platform of(String os, String architecture) {
        return new Platform(os, architecture, Optional.empty(), Optional.empty());
    }

    public static Platform of(String os, String architecture, String variant) {
        return new Platform(os, architecture, Optional.ofNullable(variant), Optional.empty());
    }

    /**
     * Parses {@code os/arch[/variant]}, e.g. {@code linux/arm64/v8}, as {@code docker --platform}
     * takes it.
     *
     * @throws GantryException of kind {@link ErrorKind#INVALID_INPUT} when the text is malformed
     */
    public static Platform parse(String text) {
        String[] parts = text.split("/", -1);
        boolean wellFormed = parts.length >= 2 && parts.length <= 3;
        for (String part : parts) {
            wellFormed &= !part.isBlank() && part.chars().noneMatch(Character::isWhitespace);
        }
        if (!wellFormed) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "parse platform",
                    "'" + text + "' is not a platform: expected os/architecture[/variant]", null, 0,
                    "Write a platform like linux/amd64 or linux/arm64/v8.", null);
        }
        return new Platform(parts[0], parts[1], Optional.ofNullable(parts.length == 3 ? parts[2] : null), Optional.empty());
    }

    /** The platform of this JVM, normalized, e.g. {@code linux/amd64} or {@code darwin/arm64}. */
    public static Platform current() {
        return fromJvm(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** The platform of a JVM reporting these {@code os.name} and {@code os.arch} properties. */
    static Platform fromJvm(String osName, String osArch) {
        String name = osName.toLowerCase(Locale.ROOT);
        String os;
        if (name.startsWith("windows")) {
            os = "windows";
        } else if (name.startsWith("mac") || name.startsWith("darwin")) {
            os = "darwin";
        } else if (name.isEmpty()) {
            os = "linux";
        } else {
            os = name.replace(" ", "");
        }
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "" -> "amd64";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        return of(os, arch).normalized();
    }

    /** This platform with the usual aliases resolved (see the class comment). */
    public Platform normalized() {
        String normOs = os.toLowerCase(Locale.ROOT);
        if (normOs.equals("macos")) {
            normOs = "darwin";
        }
        String arch = architecture.toLowerCase(Locale.ROOT);
        String var = variant.map(v -> v.toLowerCase(Locale.ROOT)).orElse("");
        switch (arch) {
            case "i386" -> arch = "386";
            case "x86_64", "x86-64", "amd64" -> {
                arch = "amd64";
                if (var.equals("v1")) {
                    var = "";
                }
            }
            case "aarch64", "arm64" -> {
                arch = "arm64";
                var = switch (var) {
                    case "8", "v8", "v8.0" -> "";
                    case "9", "9.0", "v9.0" -> "v9";
                    default -> var.matches("[0-9].*") ? "v" + var : var;
                };
            }
            case "armhf" -> {
                arch = "arm";
                var = "v7";
            }
            case "armel" -> {
                arch = "arm";
                var = "v6";
            }
            case "arm" -> var = switch (var) {
                case "", "7" -> "v7";
                case "5", "6", "8" -> "v" + var;
                default -> var;
            };
            default -> {
                // other architectures have no aliases
            }
        }
        return new Platform(normOs, arch, Optional.of(var), osVersion);
    }

    /**
     * How well an image built for {@code candidate} runs on this platform: empty when it cannot
     * run, otherwise a rank where 0 is an exact match and higher numbers are worse fallbacks
     * (e.g. an {@code arm/v6} image on an {@code arm/v7} machine, an {@code amd64} baseline image on
     * an {@code amd64/v3} machine). Both platforms are normalized first, so {@code arm64} and
     * {@code arm64/v8} are the same. When this platform names no variant, any variant of the
     * architecture is accepted, the baseline first.
     */
    public OptionalInt compatibility(Platform candidate) {
        Platform want = normalized();
        Platform have = candidate.normalized();
        if (!want.os.equals(have.os) || !want.architecture.equals(have.architecture)) {
            return OptionalInt.empty();
        }
        int versionPenalty = want.osVersion.isEmpty() || want.osVersion.equals(have.osVersion) ? 0 : 1;
        String wantVariant = want.variant.orElse("");
        String haveVariant = have.variant.orElse("");
        if (wantVariant.equals(haveVariant)) {
            return OptionalInt.of(versionPenalty);
        }
        OptionalInt wantLevel = level(want.architecture, wantVariant);
        OptionalInt haveLevel = level(have.architecture, haveVariant);
        if (wantLevel.isPresent() && haveLevel.isPresent()) {
            int gap = wantLevel.getAsInt() - haveLevel.getAsInt();
            return gap > 0 ? OptionalInt.of(10 * gap + versionPenalty) : OptionalInt.empty();
        }
        if (wantVariant.isEmpty()) {
            return OptionalInt.of(100 + versionPenalty);
        }
        return OptionalInt.empty();
    }

    /** The feature level a variant stands for, where older levels run on newer machines. */
    private static OptionalInt level(String architecture, String variant) {
        List<String> ladder = switch (architecture) {
            case "arm" -> List.of("v5", "v6", "v7", "v8");
            case "amd64" -> List.of("", "v2", "v3", "v4");
            case "arm64" -> List.of("", "v8.1", "v8.2", "v8.3", "v8.4", "v8.5", "v8.6", "v8.7", "v8.8", "v8.9", "v9");
            default -> List.of();
        };
        int index = ladder.indexOf(variant);
        return index < 0 ? OptionalInt.empty() : OptionalInt.of(index);
    }

    /** {@code os/architecture[/variant]}, e.g. {@code linux/arm/v7}. */
    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }
}
