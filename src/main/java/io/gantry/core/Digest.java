package io.gantry.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A content digest such as {@code sha256:9f86d0…}, as used for blobs, manifests and image IDs.
 *
 * <p>Only {@code sha256} and {@code sha512} are accepted, with lower-case hex of the right length,
 * which is what registries and engines produce. Create one with {@link #of(String)} or compute one
 * with {@link #sha256(byte[])}.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {

    public Digest {
        int expected = switch (algorithm) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default -> throw new IllegalArgumentException(
                    "unsupported digest algorithm '" + algorithm + "' (expected sha256 or sha512)");
        };
        // the literal, not the caller's copy: a parsed digest's algorithm is a substring of its
        // text, 48 bytes each, and a window on 10,000 images holds some 100,000 digests
        algorithm = algorithm.equals("sha256") ? "sha256" : "sha512";
        if (hex.length() != expected || !isLowerHex(hex)) {
            throw new IllegalArgumentException("malformed " + algorithm + " digest: expected "
                    + expected + " lower-case hex characters, got '" + hex + "'");
        }
    }

    /*
     * equals and hashCode written out, with the values the record's generated ones give (31 times
     * the first component's hash plus the second's): the generated ones are bound at their first call
     * by an invokedynamic bootstrap that spins some twenty method-handle classes, about 15 ms of
     * every command's start (a digest is a map key in every store read), which no class-data archive
     * of JDK 17 keeps.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Digest that && algorithm.equals(that.algorithm) && hex.equals(that.hex);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + hex.hashCode();
    }

    /** Same as matching {@code [a-f0-9]+} on a non-empty string, without the regex (digests are parsed by the thousand). */
    private static boolean isLowerHex(String hex) {
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return !hex.isEmpty();
    }

    /** Parses {@code algorithm:hex}; throws {@link IllegalArgumentException} saying what is wrong. */
    public static Digest of(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("malformed digest '" + text + "': expected sha256:<64 hex>");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** Whether {@code text} parses as a digest. */
    public static boolean isDigest(String text) {
        try {
            of(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static Digest sha256(byte[] content) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(content)));
    }

    public static Digest sha256(String content) {
        return sha256(content.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh SHA-256 {@link MessageDigest}, for hashing while streaming. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }

    /** The first 12 hex characters, as {@code docker images} shows an image ID. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public int compareTo(Digest other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
