package io.gantry.engine.cluster;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.InvalidReferenceException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pre-puller: a DaemonSet whose pod on each (selected) node has the image as an init container,
 * so the kubelet pulls it onto the node, and then a pause container that does nothing, so the pod
 * stays and the image stays in use (the kubelet's image GC does not remove it while the pod is
 * there). The init container runs {@code sh -c 'exit 0'}; an image without a shell fails to start
 * after it was pulled, which still leaves the image on the node, so progress is read from the pull
 * (the init container's image ID), not from its exit. It tolerates every taint, so tainted nodes
 * (control plane ones included) pull too; {@code --nodes} narrows it down. Nodes that pull through
 * their own CRI instead ({@link #withoutNodes}) are kept out by a node affinity on
 * {@code metadata.name}.
 *
 * @param namespace    where the DaemonSet goes
 * @param name         its name (also the value of the {@value #LABEL} label of its pods)
 * @param image        the image to pre-pull, as given
 * @param nodeSelector the labels a node must have (empty: every node)
 * @param pullSecrets  pull secrets of the namespace the pods use
 * @param skipNodes    nodes the DaemonSet leaves out (they pull through their own CRI), sorted
 */
public record PrePuller(String namespace, String name, String image, Map<String, String> nodeSelector,
                        List<String> pullSecrets, List<String> skipNodes) {

    /** The label that ties the pods to their DaemonSet. */
    public static final String LABEL = "gantry.io/prepull";
    /** The main container's image: the Kubernetes pause image, which sleeps and uses next to nothing. */
    public static final String PAUSE_IMAGE = "registry.k8s.io/pause:3.10";
    public static final String INIT_CONTAINER = "prepull";

    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final String OPERATION = "build pre-puller";

    /** @throws GantryException {@code INVALID_INPUT} for what Kubernetes would refuse */
    public PrePuller {
        Objects.requireNonNull(image, "image");
        nodeSelector = Map.copyOf(new LinkedHashMap<>(nodeSelector));
        pullSecrets = List.copyOf(pullSecrets);
        skipNodes = skipNodes.stream().distinct().sorted().toList();
        try {
            ImageReference.parse(image);
        } catch (InvalidReferenceException e) {
            throw invalid("'" + image + "' is no image reference", "Give an image such as nginx:1.27 or "
                    + "registry.example.com/team/app@sha256:….");
        }
        if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
            throw invalid("the name '" + name + "' is not a lower-case DNS label of at most 63 characters",
                    "Give --name with lower-case letters, digits and '-'.");
        }
        if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
            throw invalid("the namespace '" + namespace + "' is not a lower-case DNS label", "Give -n NAMESPACE.");
        }
        nodeSelector.forEach((key, value) -> {
            if (!LABEL_KEY.matcher(key).matches() || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                throw invalid("'" + key + "=" + value + "' is no node label", "Give --nodes as key=value[,key=value…], "
                        + "e.g. --nodes kubernetes.io/os=linux.");
            }
        });
    }

    /** A pre-puller for every selected node. */
    public PrePuller(String namespace, String name, String image, Map<String, String> nodeSelector,
                     List<String> pullSecrets) {
        this(namespace, name, image, nodeSelector, pullSecrets, List.of());
    }

    /** The same pre-puller, whose DaemonSet leaves out {@code nodes} (they pull through their own CRI). */
    public PrePuller withoutNodes(java.util.Collection<String> nodes) {
        return new PrePuller(namespace, name, image, nodeSelector, pullSecrets, List.copyOf(nodes));
    }

    /** {@code --nodes a=b,c=d} as a map; only equality, as a node selector allows. */
    public static Map<String, String> parseSelector(String text) {
        Map<String, String> selector = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return selector;
        }
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || part.contains("!=")) {
                throw invalid("'" + part.trim() + "' is no key=value node label", "Give --nodes as key=value[,key=value…]; "
                        + "a node selector matches labels by equality only.");
            }
            String value = part.substring(eq + 1);
            selector.put(part.substring(0, eq).trim(), (value.startsWith("=") ? value.substring(1) : value).trim());
        }
        return selector;
    }

    /**
     * {@code gantry-prepull-<repository>-<8 hex of the image's SHA-256>}: the same image gets the
     * same name, so applying again replaces it; at most 63 characters.
     */
    public static String defaultName(String image) {
        String repository;
        try {
            ImageReference reference = ImageReference.parse(image);
            repository = reference.familiarName();
        } catch (InvalidReferenceException e) {
            repository = image;
        }
        String last = repository.substring(repository.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
        String hash = Digest.sha256(image.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 8);
        String prefix = "gantry-prepull-";
        int room = 63 - prefix.length() - hash.length() - 1;
        if (last.length() > room) {
            last = last.substring(0, room).replaceAll("-$", "");
        }
        return prefix + (last.isEmpty() ? "" : last + "-") + hash;
    }

    /** Whether a node with {@code labels} runs a pod of this pre-puller. */
    public boolean selects(Map<String, String> labels) {
        return nodeSelector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** The DaemonSet as YAML, as it is applied: the preview. */
    public String yaml() {
        StringBuilder yaml = new StringBuilder();
        yaml.append("apiVersion: apps/v1\n")
                .append("kind: DaemonSet\n")
                .append("metadata:\n")
                .append("  name: ").append(name).append('\n')
                .append("  namespace: ").append(namespace).append('\n')
                .append("  labels:\n")
                .append("    ").append(PullSecret.MANAGED_BY_LABEL).append(": gantry\n")
                .append("    ").append(LABEL).append(": ").append(name).append('\n')
                .append("spec:\n")
                .append("  selector:\n")
                .append("    matchLabels:\n")
                .append("      ").append(LABEL).append(": ").append(name).append('\n')
                .append("  template:\n")
                .append("    metadata:\n")
                .append("      labels:\n")
                .append("        ").append(LABEL).append(": ").append(name).append('\n')
                .append("    spec:\n");
        if (!nodeSelector.isEmpty()) {
            yaml.append("      nodeSelector:\n");
            nodeSelector.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                    yaml.append("        ").append(e.getKey()).append(": ").append(JsonText.quote(e.getValue())).append('\n'));
        }
        if (!skipNodes.isEmpty()) {
            yaml.append("      affinity: # these nodes pull through their own CRI\n")
                    .append("        nodeAffinity:\n")
                    .append("          requiredDuringSchedulingIgnoredDuringExecution:\n")
                    .append("            nodeSelectorTerms:\n")
                    .append("            - matchFields:\n")
                    .append("              - key: metadata.name\n")
                    .append("                operator: NotIn\n")
                    .append("                values:\n");
            skipNodes.forEach(n -> yaml.append("                - ").append(JsonText.quote(n)).append('\n'));
        }
        yaml.append("      tolerations:\n")
                .append("      - operator: Exists\n");
        if (!pullSecrets.isEmpty()) {
            yaml.append("      imagePullSecrets:\n");
            pullSecrets.forEach(s -> yaml.append("      - name: ").append(JsonText.quote(s)).append('\n'));
        }
        yaml.append("      initContainers:\n")
                .append("      - name: ").append(INIT_CONTAINER).append('\n')
                .append("        image: ").append(JsonText.quote(image)).append('\n')
                .append("        imagePullPolicy: IfNotPresent\n")
                .append("        command: [\"sh\", \"-c\", \"exit 0\"]\n")
                .append("        resources:\n")
                .append("          requests: {cpu: 1m, memory: 8Mi}\n")
                .append("      containers:\n")
                .append("      - name: pause\n")
                .append("        image: ").append(PAUSE_IMAGE).append('\n')
                .append("        resources:\n")
                .append("          requests: {cpu: 1m, memory: 8Mi}\n")
                .append("          limits: {cpu: 10m, memory: 16Mi}\n");
        return yaml.toString();
    }


    private static GantryException invalid(String message, String action) {
        return new GantryException(ErrorKind.INVALID_INPUT, OPERATION, message, null, 0, action, null);
    }
}
