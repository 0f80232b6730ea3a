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

    /**
     * What is wrong with {@link #host()} as an address a client can dial, in words for the user;
     * empty when it looks usable (whether an engine answers there is another matter). Garbage in
     * {@code DOCKER_HOST} ({@code unix://}, {@code tcp://:99999}, {@code %%%}, spaces) is reported
     * with this instead of the transport's parser errors.
     *
     * @param windows whether this runs on Windows (named pipes exist only there)
     */
    public Optional<String> problem(boolean windows) {
        String h = host.strip();
        if (h.isEmpty()) {
            return Optional.of("the address is empty");
        }
        if (!h.equals(host) || h.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.of("the address contains a space or a control character");
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://(.*)").matcher(h);
        if (!m.matches()) {
            return Optional.of("it is not an address of the form unix:///path or tcp://host:port");
        }
        String scheme = m.group(1).toLowerCase(java.util.Locale.ROOT);
        String rest = m.group(2);
        switch (scheme) {
            case "unix":
                return rest.startsWith("/") && rest.length() > 1 ? Optional.empty()
                        : Optional.of("a unix:// address needs a socket path, as unix:///var/run/docker.sock");
            case "npipe":
                return windows ? Optional.empty()
                        : Optional.of("npipe:// addresses (Windows named pipes) work only on Windows");
            case "ssh":
                return Optional.of("engine addresses over ssh are not supported");
            case "tcp", "http", "https": {
                String authority = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
                String hostPart = authority;
                String port = null;
                if (authority.startsWith("[")) {
                    int end = authority.indexOf(']');
                    hostPart = end > 0 ? authority.substring(0, end + 1) : authority;
                    port = end > 0 && authority.length() > end + 1 && authority.charAt(end + 1) == ':'
                            ? authority.substring(end + 2) : null;
                } else if (authority.lastIndexOf(':') >= 0) {
                    hostPart = authority.substring(0, authority.lastIndexOf(':'));
                    port = authority.substring(authority.lastIndexOf(':') + 1);
                }
                if (hostPart.isEmpty()) {
                    return Optional.of("a " + scheme + ":// address needs a host, as tcp://HOST:2376");
                }
                if (!hostPart.matches("\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+")) {
                    return Optional.of("'" + hostPart + "' is not a host name");
                }
                if (port != null && !(port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1
                        && Integer.parseInt(port) <= 65535)) {
                    return Optional.of("the port '" + port + "' is not a number from 1 to 65535");
                }
                return Optional.empty();
            }
            default:
                return Optional.of("the scheme " + scheme + ":// is not one Gantry can dial (unix, tcp, npipe on Windows)");
        }
    }

    /** The stable endpoint ID for this address. */
    public String endpointId() {
        return "engine:" + host;
    }
}
