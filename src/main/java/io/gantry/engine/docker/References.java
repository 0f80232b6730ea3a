package io.gantry.engine.docker;

/**
 * Just enough of docker's reference grammar to apply moby's delete rules and to build pull
 * requests: normalizing a reference ({@code busybox} → {@code docker.io/library/busybox:latest}),
 * its familiar form, its repository name and registry host, and whether it is canonical (has a
 * digest). A stand-in until the core {@code ImageReference} type lands; it does not validate.
 */
final class References {

    static final String DOCKER_HUB = "docker.io";
    static final String DEFAULT_TAG = "latest";

    private References() {
    }

    /**
     * The parts of a reference: {@code domain/path}, the tag ("" if none) and the digest ("" if none).
     */
    record Parts(String domain, String path, String tag, String digest) {

        String name() {
            return domain + "/" + path;
        }

        /** The normalized string moby's reference store keys on. */
        String normalized() {
            return name() + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
        }

        /** As the docker CLI shows it: without {@code docker.io/} and {@code library/}. */
        String familiar() {
            String name = name();
            if (domain.equals(DOCKER_HUB)) {
                name = path.startsWith("library/") && path.indexOf('/', "library/".length()) < 0
                        ? path.substring("library/".length()) : path;
            }
            return name + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
        }

        boolean canonical() {
            return !digest.isEmpty();
        }

        /** {@code reference.TagNameOnly}: a name alone gets the tag {@code latest}. */
        Parts withDefaultTag() {
            return tag.isEmpty() && digest.isEmpty() ? new Parts(domain, path, DEFAULT_TAG, digest) : this;
        }
    }

    static Parts parse(String reference) {
        String rest = reference;
        String digest = "";
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = "";
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String domain = DOCKER_HUB;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                domain = first.equals("index.docker.io") ? DOCKER_HUB : first;
                path = rest.substring(slash + 1);
            }
        }
        if (domain.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
            path = "library/" + path;
        }
        return new Parts(domain, path, tag, digest);
    }

    static String normalize(String reference) {
        return parse(reference).normalized();
    }

    static String familiar(String reference) {
        return parse(reference).familiar();
    }
}
