package io.gantry.service;

import io.gantry.core.Cancellation;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.InvalidReferenceException;
import io.gantry.engine.RegistryLogin;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.ClusterPod;
import io.gantry.registry.Credential;
import io.gantry.registry.CredentialStore;
import io.gantry.registry.RegistryClient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a pod's image at its registry with Gantry's own registry client and the logins the pod
 * would use: those in the pull secrets the pod names and those of its service account, matched to
 * the image's registry as the kubelet matches them (by host; Docker Hub under any of its names).
 * Each matching login is tried in turn, as the kubelet does; with none, the check is anonymous.
 * The check runs from this machine, not the node: an image Gantry finds means the name and the
 * login are right, and what fails is on the node's side (its network, DNS or runtime settings).
 *
 * <p>The logins are never shown or logged: a verdict names the secret and the user only.
 */
public final class PodRegistryCheck {

    /** What the check found. */
    public enum Outcome {
        /** The registry has the image and gives it with the login used (or anonymously). */
        FOUND,
        /** The registry has no such repository or tag (with the login used). */
        NO_SUCH_IMAGE,
        /** The registry refused every login the pod's secrets hold for it. */
        LOGIN_REFUSED,
        /** The pod has no login for the registry, and the registry refuses anonymous pulls. */
        NO_LOGIN,
        /** The registry limits pulls (HTTP 429). */
        RATE_LIMITED,
        /** Gantry could not reach the registry either (from this machine). */
        UNREACHABLE,
        /** Something else; the detail says what. */
        OTHER
    }

    /**
     * One check: what was found, with which secret and user (empty: anonymously), a sentence
     * saying what it means, and the secrets that could not be read (missing, or RBAC forbids).
     */
    public record Verdict(Outcome outcome, Optional<String> secret, Optional<String> user, String detail,
                          List<String> unreadableSecrets) {
        public Verdict {
            unreadableSecrets = List.copyOf(unreadableSecrets);
        }
    }

    private record SecretLogin(String secret, RegistryLogin login) {
    }

    private static final Set<String> DOCKER_HUB_HOSTS = Set.of("docker.io", "index.docker.io", "registry-1.docker.io");

    private final Function<CredentialStore, RegistryClient> clients;

    /**
     * @param clients a registry client with the user's transport settings (CAs, plain-HTTP
     *                registries) and the given credentials
     */
    public PodRegistryCheck(Function<CredentialStore, RegistryClient> clients) {
        this.clients = clients;
    }

    /**
     * Checks {@code image} of {@code pod} with the logins of its pull secrets (read through
     * {@code cluster}, the service account's included).
     */
    public Verdict check(Cluster cluster, ClusterPod pod, String image, Cancellation cancellation) {
        ImageReference reference;
        try {
            reference = ImageReference.parse(image);
        } catch (InvalidReferenceException e) {
            return new Verdict(Outcome.OTHER, Optional.empty(), Optional.empty(), "not checked: the name is no image "
                    + "reference", List.of());
        }
        Set<String> secretNames = new LinkedHashSet<>(pod.imagePullSecrets());
        cluster.serviceAccounts(Optional.of(pod.namespace())).stream()
                .filter(account -> account.name().equals(pod.serviceAccount()))
                .forEach(account -> secretNames.addAll(account.imagePullSecrets()));
        List<SecretLogin> matching = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String secret : secretNames) {
            Optional<List<RegistryLogin>> logins;
            try {
                logins = cluster.pullSecretLogins(pod.namespace(), secret);
            } catch (GantryException e) {
                if (e.kind() != ErrorKind.DENIED && e.kind() != ErrorKind.UNAUTHORIZED) {
                    throw e;
                }
                unreadable.add(secret);
                continue;
            }
            if (logins.isEmpty()) {
                unreadable.add(secret);
                continue;
            }
            logins.get().stream().filter(login -> sameRegistry(login.serverAddress(), reference.registry()))
                    .forEach(login -> matching.add(new SecretLogin(secret, login)));
        }
        if (matching.isEmpty()) {
            Verdict anonymous = check(reference, Optional.empty(), unreadable, cancellation);
            if (anonymous.outcome() == Outcome.LOGIN_REFUSED) {
                return new Verdict(Outcome.NO_LOGIN, Optional.empty(), Optional.empty(), "no pull secret of the pod "
                        + "holds a login for " + reference.registry() + ", and it refuses anonymous pulls", unreadable);
            }
            return anonymous;
        }
        Verdict last = null;
        for (SecretLogin login : matching) {
            last = check(reference, Optional.of(login), unreadable, cancellation);
            if (last.outcome() != Outcome.LOGIN_REFUSED) {
                return last;
            }
        }
        return last;
    }

    private Verdict check(ImageReference reference, Optional<SecretLogin> login, List<String> unreadable,
                          Cancellation cancellation) {
        Optional<String> secret = login.map(SecretLogin::secret);
        Optional<String> user = login.map(l -> l.login().username());
        String with = login.map(l -> " with the login of secret " + l.secret() + " (user " + l.login().username() + ")")
                .orElse(" anonymously");
        CredentialStore credentials = login.<CredentialStore>map(l -> registry -> Optional.of(
                Credential.basic(l.login().username(), l.login().password()))).orElse(CredentialStore.anonymous());
        try {
            boolean there = clients.apply(credentials).headManifest(reference, cancellation).isPresent();
            return there
                    ? new Verdict(Outcome.FOUND, secret, user, "Gantry gets " + reference.familiar() + with
                    + ": the name and the login are right, so look at the node (its DNS, network, proxy, or the "
                    + "runtime's registry settings)", unreadable)
                    : new Verdict(Outcome.NO_SUCH_IMAGE, secret, user, reference.registry() + " has no "
                    + reference.familiar() + " (asked" + with + ")", unreadable);
        } catch (GantryException e) {
            Outcome outcome = switch (e.kind()) {
                case NOT_FOUND -> Outcome.NO_SUCH_IMAGE;
                case UNAUTHORIZED, DENIED -> Outcome.LOGIN_REFUSED;
                case RATE_LIMITED -> Outcome.RATE_LIMITED;
                case UNAVAILABLE -> Outcome.UNREACHABLE;
                default -> Outcome.OTHER;
            };
            String detail = switch (outcome) {
                case NO_SUCH_IMAGE -> reference.registry() + " has no " + reference.familiar() + " (asked" + with + ")";
                case LOGIN_REFUSED -> reference.registry() + " refused Gantry" + with;
                case RATE_LIMITED -> reference.registry() + " limits pulls (asked" + with + ")";
                case UNREACHABLE -> "Gantry cannot reach " + reference.registry() + " from here either";
                default -> "the check" + with + " failed";
            };
            return new Verdict(outcome, secret, user, detail, unreadable);
        }
    }

    /** Whether a pull secret's key ({@code https://host/v1/}, {@code host:port}) is {@code registry}. */
    static boolean sameRegistry(String key, String registry) {
        String host = key.toLowerCase(Locale.ROOT);
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        int slash = host.indexOf('/');
        host = slash >= 0 ? host.substring(0, slash) : host;
        String wanted = registry.toLowerCase(Locale.ROOT);
        return host.equals(wanted) || DOCKER_HUB_HOSTS.contains(host) && DOCKER_HUB_HOSTS.contains(wanted);
    }
}
