package io.gantry.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-registry TLS trust, as Docker does it: the system trust store plus every {@code *.crt} in
 * {@code certs.d/<host[:port]>/} under each configured directory (the Docker config dir's
 * {@code certs.d} and {@code /etc/docker/certs.d}).
 */
final class RegistryTls {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryTls.class);

    /** A trust manager and the socket factory that uses it. */
    record Trust(SSLSocketFactory socketFactory, X509TrustManager trustManager, List<Path> caFiles) {
    }

    private RegistryTls() {
    }

    /**
     * The trust for {@code hostPort} when some certs.d directory holds CA files for it; empty means
     * the system trust alone.
     */
    static Optional<Trust> forHost(String hostPort, List<Path> certsDirs) throws IOException, GeneralSecurityException {
        List<Path> caFiles = new ArrayList<>();
        for (Path certsDir : certsDirs) {
            Path dir = certsDir.resolve(hostPort);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.crt")) {
                entries.forEach(caFiles::add);
            }
        }
        if (caFiles.isEmpty()) {
            return Optional.empty();
        }
        KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
        extra.load(null, null);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        int n = 0;
        for (Path file : caFiles.stream().sorted().toList()) {
            try (InputStream in = Files.newInputStream(file)) {
                for (Certificate cert : factory.generateCertificates(in)) {
                    extra.setCertificateEntry("ca-" + n++, cert);
                }
            }
        }
        LOG.debug("Trusting {} extra CA certificate(s) for {} from {}", n, hostPort, caFiles);
        X509TrustManager system = trustManager(null);
        X509TrustManager custom = trustManager(extra);
        X509TrustManager combined = new EitherTrustManager(system, custom);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {combined}, null);
        return Optional.of(new Trust(context.getSocketFactory(), combined, List.copyOf(caFiles)));
    }

    private static X509TrustManager trustManager(KeyStore keyStore) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(keyStore);
        return Arrays.stream(factory.getTrustManagers())
                .filter(X509TrustManager.class::isInstance)
                .map(X509TrustManager.class::cast)
                .findFirst()
                .orElseThrow(() -> new GeneralSecurityException("no X509TrustManager available"));
    }

    /** Trusts a chain that either the system or the registry's own CAs trust. */
    private record EitherTrustManager(X509TrustManager system, X509TrustManager custom) implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            system.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                custom.checkServerTrusted(chain, authType);
            } catch (CertificateException notOurs) {
                system.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return Stream.concat(Arrays.stream(system.getAcceptedIssuers()), Arrays.stream(custom.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }
}
