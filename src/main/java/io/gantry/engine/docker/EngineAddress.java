package io.gantry.engine.docker;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A place a Docker-compatible engine may answer, as discovery found it.
 *
 * @param name    what the rail shows ("DOCKER_HOST", "docker (context colima)", "podman (user)")
 * @param host    the engine's host URI: {@code unix:///…}, {@code tcp://host:port}, {@code npipe:////./pipe/…}
 * @param source  where discovery found it
 * @param podman  whether it is (by its socket's location) a Podman engine
 * @param tls     client TLS material for a {@code tcp://} host, when TLS is on
 * @param current whether this is the engine the docker CLI would use right now (its current context)
 */
public record EngineAddress(String name, String host, Source source, boolean podman, Optional<Tls> tls,
                            boolean current) {

    /** Where an address came from, in the order discovery looks. */
    public enum Source { DOCKER_HOST, CONTEXT, DOCKER_DESKTOP, DEFAULT_SOCKET, ROOTLESS_DOCKER, PODMAN_USER,
        PODMAN_ROOT, NAMED_PIPE }

    /**
     * TLS for a {@code tcp://} engine: a directory holding {@code ca.pem}, {@code cert.pem} and
     * {@code key.pem}, as {@code DOCKER_CERT_PATH} or a context's TLS store.
     *
     * @param certDir the directory with the PEM files
     * @param verify  whether to verify the engine's certificate against {@code ca.pem}
     */
    public record Tls(Path certDir, boolean verify) {
        public Tls {
            Objects.requireNonNull(certDir, "certDir");
        }
    }

    public EngineAddress {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(tls, "tls");
    }

    /** The stable endpoint ID for this address. */
    public String endpointId() {
        return "engine:" + host;
    }
}
