package io.gantry.engine.cluster.fabric8;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.cluster.KubeContext;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's kubeconfig as kubectl reads it: the files {@code KUBECONFIG} lists (separated by the
 * platform's path separator; missing ones skipped), else {@code ~/.kube/config}. Merged as kubectl
 * merges them: for a context, cluster or user named in several files the first file wins, and the
 * current context is the first file's that sets one.
 */
final class KubeconfigFiles {

    private static final Logger LOG = LoggerFactory.getLogger(KubeconfigFiles.class);

    private final List<Path> files;
    private final List<Config> parsed;

    private KubeconfigFiles(List<Path> files, List<Config> parsed) {
        this.files = List.copyOf(files);
        this.parsed = List.copyOf(parsed);
    }

    /** The files {@code env} and {@code home} point at, in kubectl's order; empty when there are none. */
    static List<Path> locate(Map<String, String> env, Path home) {
        String listed = env.getOrDefault("KUBECONFIG", "");
        List<Path> found = new ArrayList<>();
        if (!listed.isBlank()) {
            for (String entry : listed.split(java.util.regex.Pattern.quote(File.pathSeparator))) {
                if (!entry.isBlank() && Files.isRegularFile(Path.of(entry.trim()))) {
                    Path file = Path.of(entry.trim()).toAbsolutePath();
                    if (!found.contains(file)) {
                        found.add(file);
                    }
                }
            }
            return found;
        }
        Path fallback = home.resolve(".kube").resolve("config");
        return Files.isRegularFile(fallback) ? List.of(fallback.toAbsolutePath()) : List.of();
    }

    /** Reads every file; {@code INVALID_INPUT} naming the first that is no kubeconfig. */
    static KubeconfigFiles read(List<Path> files) {
        List<Config> parsed = new ArrayList<>();
        for (Path file : files) {
            try {
                parsed.add(KubeConfigUtils.parseConfig(file.toFile()));
            } catch (RuntimeException e) {
                LOG.debug("kubeconfig {} unreadable", file, e);
                throw new GantryException(ErrorKind.INVALID_INPUT, "read kubeconfig " + file, file
                        + " is not a readable kubeconfig (YAML with clusters, contexts and users)", null, 0,
                        "Fix or remove the file, or leave it out of KUBECONFIG (kubectl config view shows what kubectl reads).",
                        null);
            }
        }
        return new KubeconfigFiles(files, parsed);
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    List<Path> files() {
        return files;
    }

    /** The parsed files, for fabric8's own merge of the chosen context's cluster and user. */
    Config[] parsed() {
        return parsed.toArray(Config[]::new);
    }

    /** The first current context a file sets. */
    Optional<String> currentContext() {
        return parsed.stream().map(Config::getCurrentContext).filter(c -> c != null && !c.isBlank()).findFirst();
    }

    /** Every context, first file winning, the current one first, then by name. */
    List<KubeContext> contexts() {
        Map<String, KubeContext> byName = new LinkedHashMap<>();
        Map<String, NamedCluster> clusters = new LinkedHashMap<>();
        for (Config config : parsed) {
            for (NamedCluster cluster : orEmpty(config.getClusters())) {
                if (cluster.getName() != null && cluster.getCluster() != null) {
                    clusters.putIfAbsent(cluster.getName(), cluster);
                }
            }
        }
        String current = currentContext().orElse("");
        for (int i = 0; i < parsed.size(); i++) {
            for (NamedContext named : orEmpty(parsed.get(i).getContexts())) {
                if (named.getName() == null || named.getContext() == null || byName.containsKey(named.getName())) {
                    continue;
                }
                var context = named.getContext();
                String clusterName = orBlank(context.getCluster());
                NamedCluster cluster = clusters.get(clusterName);
                String server = cluster == null ? "" : orBlank(cluster.getCluster().getServer());
                byName.put(named.getName(), new KubeContext(named.getName(), clusterName, server,
                        orBlank(context.getUser()), Optional.ofNullable(context.getNamespace()).filter(n -> !n.isBlank()),
                        named.getName().equals(current), files.get(i)));
            }
        }
        return byName.values().stream()
                .sorted(Comparator.comparing((KubeContext c) -> !c.current()).thenComparing(KubeContext::name))
                .toList();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String orBlank(String text) {
        return text == null ? "" : text;
    }
}
