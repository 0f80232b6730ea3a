package io.gantry.engine.cluster;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One context of the user's kubeconfig: its name, the cluster's API server, the user it
 * authenticates as, its default namespace, whether it is the current context, and the kubeconfig
 * file it comes from (with several {@code KUBECONFIG} files, the first that names it).
 */
public record KubeContext(String name, String cluster, String server, String user, Optional<String> namespace,
                          boolean current, Path file) {

    public KubeContext {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(file, "file");
    }

    /** The namespace commands use when none is given: the context's own, else {@code default}, as kubectl. */
    public String namespaceOrDefault() {
        return namespace.orElse("default");
    }
}
