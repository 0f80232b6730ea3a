package io.gantry.engine.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which pods and service accounts reference which image pull secrets, and which references lead
 * nowhere: a secret that does not exist in the namespace, or one of a type the kubelet cannot use
 * for pulls (only {@code kubernetes.io/dockerconfigjson} and the older {@code kubernetes.io/dockercfg}).
 * Secrets are seen by name and type only; their data is never read into Gantry's records.
 */
public final class PullSecretReferences {

    public static final String DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson";
    public static final String DOCKER_CFG = "kubernetes.io/dockercfg";

    private PullSecretReferences() {
    }

    /** A secret's name and type. */
    public record SecretRef(String namespace, String name, String type) {
        public SecretRef {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /** A service account and the pull secrets it hands to the pods created under it. */
    public record ServiceAccountRef(String namespace, String name, List<String> imagePullSecrets) {
        public ServiceAccountRef {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            imagePullSecrets = List.copyOf(imagePullSecrets);
        }
    }

    /** Whether a reference leads to a usable secret. */
    public enum State {
        OK("ok"), MISSING("missing: no such secret in the namespace"),
        WRONG_TYPE("not a pull secret (type is not kubernetes.io/dockerconfigjson)");

        private final String label;

        State(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One reference: who holds it ({@code pod/NAME} or {@code serviceaccount/NAME}), the secret, its state. */
    public record Reference(String namespace, String holder, String secret, State state) {
    }

    /** Every reference of {@code pods} and {@code serviceAccounts}, checked against {@code secrets}; problems first. */
    public static List<Reference> check(List<ClusterPod> pods, List<ServiceAccountRef> serviceAccounts,
                                        List<SecretRef> secrets) {
        Map<String, SecretRef> byKey = secrets.stream().collect(Collectors.toMap(s -> s.namespace() + "/" + s.name(),
                Function.identity(), (a, b) -> a));
        List<Reference> references = new ArrayList<>();
        for (ServiceAccountRef account : serviceAccounts) {
            for (String secret : account.imagePullSecrets()) {
                references.add(reference(account.namespace(), "serviceaccount/" + account.name(), secret, byKey));
            }
        }
        for (ClusterPod pod : pods) {
            for (String secret : pod.imagePullSecrets()) {
                references.add(reference(pod.namespace(), "pod/" + pod.name(), secret, byKey));
            }
        }
        return references.stream().sorted(Comparator.comparing((Reference r) -> r.state() == State.OK)
                .thenComparing(Reference::namespace).thenComparing(Reference::holder).thenComparing(Reference::secret))
                .toList();
    }

    private static Reference reference(String namespace, String holder, String secret, Map<String, SecretRef> secrets) {
        SecretRef found = secrets.get(namespace + "/" + secret);
        State state = found == null ? State.MISSING
                : found.type().equals(DOCKER_CONFIG_JSON) || found.type().equals(DOCKER_CFG) ? State.OK : State.WRONG_TYPE;
        return new Reference(namespace, holder, secret, state);
    }
}
