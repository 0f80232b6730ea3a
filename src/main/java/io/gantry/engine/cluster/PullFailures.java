package io.gantry.engine.cluster;

import io.gantry.core.ImageReference;
import io.gantry.engine.cluster.ClusterPod.PodImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Why an image of a pod does not pull ({@code ErrImagePull}, {@code ImagePullBackOff},
 * {@code ErrImageNeverPull}, {@code InvalidImageName}) and what to do, from the container's waiting
 * state and the pod's {@code Failed} events. The kubelet hands the runtime's error on as text
 * only, so the registry's own codes and statuses are looked for in it ({@code MANIFEST_UNKNOWN},
 * {@code 401 Unauthorized}, {@code toomanyrequests}…); what is not recognised is shown as the
 * kubelet said it.
 */
public final class PullFailures {

    /** The waiting reasons that mean an image is not there. */
    public static final Set<String> PULL_REASONS = Set.of("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull",
            "InvalidImageName");

    private PullFailures() {
    }

    /** What went wrong. */
    public enum Cause {
        NO_SUCH_IMAGE("no such image or tag"),
        UNAUTHORIZED("login refused or missing"),
        NO_SUCH_HOST("registry host unknown"),
        UNREACHABLE("registry unreachable"),
        RATE_LIMITED("rate limited"),
        UNTRUSTED_CERTIFICATE("certificate not trusted"),
        PLAIN_HTTP("registry speaks plain HTTP"),
        NEVER_PULL("Never, and not on the node"),
        INVALID_NAME("invalid image name"),
        UNKNOWN("not recognised");

        private final String label;

        Cause(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One failing image: its state, the cause, the kubelet's words it was read from, and what to do. */
    public record PullFailure(PodImage image, String state, Cause cause, String kubeletSaid, String whatToDo) {
    }

    /** Every image of {@code pod} that fails to pull, explained with {@code events} (the pod's, oldest first). */
    public static List<PullFailure> explain(ClusterPod pod, List<PodEvent> events) {
        List<PullFailure> failures = new ArrayList<>();
        for (PodImage image : pod.images()) {
            Optional<String> reason = image.waitingReason().filter(PULL_REASONS::contains);
            if (reason.isPresent()) {
                failures.add(explain(pod, image, reason.get(), events));
            }
        }
        return failures;
    }

    private static PullFailure explain(ClusterPod pod, PodImage image, String state, List<PodEvent> events) {
        String said = lastWords(image, events);
        String text = said.toLowerCase(Locale.ROOT);
        String registry = KubeletPullRules.parseQuietly(image.image()).map(ImageReference::registry).orElse("the registry");
        if (state.equals("ErrImageNeverPull")) {
            return new PullFailure(image, state, Cause.NEVER_PULL, said, "The pull policy is Never and the node does not "
                    + "hold " + image.image() + ": put the image on the node first (gantry cp into the node's k8s.io "
                    + "namespace) or set imagePullPolicy to IfNotPresent.");
        }
        if (state.equals("InvalidImageName")) {
            return new PullFailure(image, state, Cause.INVALID_NAME, said, "Fix the image name in the pod spec: "
                    + "lower-case repository, registry[:port]/repository[:tag][@sha256:digest].");
        }
        if (containsAny(text, "toomanyrequests", "429 too many requests", "rate limit")) {
            return new PullFailure(image, state, Cause.RATE_LIMITED, said, registry + " limits pulls: give the pod a "
                    + "login for it (an imagePullSecret; logged-in Docker Hub users get a higher limit), or mirror the "
                    + "image into your own registry, then wait for the next back-off.");
        }
        if (containsAny(text, "401 unauthorized", "unauthorized", "authentication required", "403 forbidden", "denied",
                "no basic auth credentials")) {
            String secrets = pod.imagePullSecrets().isEmpty()
                    ? "The pod names no imagePullSecrets: create a kubernetes.io/dockerconfigjson secret with a login for "
                    + registry + " in namespace " + pod.namespace() + " (kubectl create secret docker-registry) and "
                    + "reference it from the pod or its service account " + pod.serviceAccount() + "."
                    : "Check the pod's secrets " + String.join(", ", pod.imagePullSecrets()) + " in namespace "
                    + pod.namespace() + ": one must exist and hold a login for " + registry + " that the registry "
                    + "accepts (and the account must be allowed to pull the repository).";
            return new PullFailure(image, state, Cause.UNAUTHORIZED, said, secrets);
        }
        if (containsAny(text, "manifest unknown", "manifest_unknown", "name_unknown", "not found")) {
            return new PullFailure(image, state, Cause.NO_SUCH_IMAGE, said, registry + " has no " + image.image()
                    + ": check the repository and the tag (gantry tags REPOSITORY lists the tags). A private image "
                    + "the login cannot see can also answer 'not found'.");
        }
        if (containsAny(text, "no such host", "server misbehaving")) {
            return new PullFailure(image, state, Cause.NO_SUCH_HOST, said, "The node cannot resolve " + registry
                    + ": check the registry's name in the image, and the node's DNS.");
        }
        if (containsAny(text, "x509", "certificate signed by unknown authority", "tls: failed to verify")) {
            return new PullFailure(image, state, Cause.UNTRUSTED_CERTIFICATE, said, "The node does not trust "
                    + registry + "'s certificate: add its CA to the node's container runtime (containerd: "
                    + "hosts.toml under its config_path).");
        }
        if (containsAny(text, "http response to https client")) {
            return new PullFailure(image, state, Cause.PLAIN_HTTP, said, registry + " speaks plain HTTP: allow it in "
                    + "the node's container runtime (containerd: hosts.toml with an http:// server).");
        }
        if (containsAny(text, "connection refused", "i/o timeout", "network is unreachable", "connection reset")) {
            return new PullFailure(image, state, Cause.UNREACHABLE, said, "The node cannot reach " + registry
                    + ": check that the registry is up and that the node's network (proxy, firewall) lets it through.");
        }
        return new PullFailure(image, state, Cause.UNKNOWN, said, "Read the kubelet's words below; kubectl describe pod "
                + pod.name() + " -n " + pod.namespace() + " shows every event.");
    }

    /** The newest failure message about this image: a {@code Failed} event naming it, else the waiting message. */
    private static String lastWords(PodImage image, List<PodEvent> events) {
        String quoted = "\"" + image.image() + "\"";
        for (int i = events.size() - 1; i >= 0; i--) {
            PodEvent event = events.get(i);
            if (event.reason().equals("Failed") && event.message().contains(quoted)
                    && !event.message().startsWith("Error: ")) {
                return event.message();
            }
        }
        return image.waitingMessage().orElse("");
    }

    private static boolean containsAny(String text, String... needles) {
        for (String needle : needles) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }
}
