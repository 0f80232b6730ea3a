package io.gantry.registry;

import io.gantry.testing.CommandResult;
import io.gantry.testing.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Test keys and certificates, made with {@code openssl} at test time in a temporary directory:
 * a self-signed signing key for the token server, and a test CA with a server certificate for
 * {@code 127.0.0.1} for the TLS registry.
 */
final class TestPki {

    /** A PEM private key (PKCS#8) and its PEM certificate. */
    record KeyAndCert(Path key, Path cert) {

        PrivateKey privateKey() {
            try {
                String pem = Files.readString(key);
                String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        X509Certificate certificate() {
            try (InputStream in = Files.newInputStream(cert)) {
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestPki() {
    }

    /** A self-signed RSA key and certificate, e.g. to sign tokens. */
    static KeyAndCert selfSigned(Path dir, String name, String commonName) {
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".crt");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + commonName,
                "-keyout", key.toString(), "-out", cert.toString());
        return new KeyAndCert(key, cert);
    }

    /** A CA certificate that can sign server certificates. */
    static KeyAndCert certificateAuthority(Path dir) {
        Path key = dir.resolve("ca.key");
        Path cert = dir.resolve("ca.crt");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Gantry Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", key.toString(), "-out", cert.toString());
        return new KeyAndCert(key, cert);
    }

    /** A server certificate for {@code ip} (and localhost), signed by {@code ca}. */
    static KeyAndCert serverCertificate(Path dir, KeyAndCert ca, String ip) {
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.crt");
        Path ext = dir.resolve("server.ext");
        try {
            Files.writeString(ext, "subjectAltName=IP:" + ip + ",DNS:localhost\nextendedKeyUsage=serverAuth\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + ip, "-keyout", key.toString(),
                "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
                "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out", cert.toString());
        return new KeyAndCert(key, cert);
    }

    private static void openssl(String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        CommandResult result = Commands.run(command, Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(60));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("openssl failed: " + result);
        }
    }
}
