package io.gantry.registry;

import io.gantry.core.Digest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashing for verification, in the algorithm of the digest being checked. */
final class Digests {

    private Digests() {
    }

    /** A fresh hasher for {@code algorithm} ({@code sha256} or {@code sha512}). */
    static MessageDigest hasher(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides " + algorithm, e);
        }
    }

    /** The digest a finished hasher stands for. */
    static Digest result(String algorithm, MessageDigest hasher) {
        return new Digest(algorithm, HexFormat.of().formatHex(hasher.digest()));
    }

    /** The digest of {@code bytes} in {@code algorithm}. */
    static Digest of(String algorithm, byte[] bytes) {
        MessageDigest hasher = hasher(algorithm);
        hasher.update(bytes);
        return result(algorithm, hasher);
    }
}
