package io.gantry.testing;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Writes htpasswd lines with bcrypt hashes, the only kind the distribution registry accepts, so no
 * {@code htpasswd} binary (Debian's apache2-utils) is needed.
 *
 * <p>The bcrypt implementation is BouncyCastle's, which reaches the test classpath through
 * docker-java. Cost 5 is what {@code htpasswd -B} uses by default and keeps logins fast.
 */
final class Htpasswd {

    private static final int COST = 5;

    private Htpasswd() {
    }

    /** One line {@code user:$2y$05$...}, without a newline. */
    static String line(Credentials credentials) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String hash = OpenBSDBCrypt.generate("2y", credentials.password().toCharArray(), salt, COST);
        return credentials.username() + ":" + hash;
    }

    /** Whether {@code password} matches the hash in an htpasswd {@code line}. */
    static boolean matches(String line, String password) {
        String hash = line.substring(line.indexOf(':') + 1);
        return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    }
}
