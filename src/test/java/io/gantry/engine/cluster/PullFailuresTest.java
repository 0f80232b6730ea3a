package io.gantry.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.cluster.ClusterPod.Kind;
import io.gantry.engine.cluster.ClusterPod.PodImage;
import io.gantry.engine.cluster.PullFailures.Cause;
import io.gantry.engine.cluster.PullFailures.PullFailure;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pull failures mapped to what to do, from the kubelet's words as containerd 1.6/1.7 and the kubelet
 * write them (waiting messages and {@code Failed} events).
 */
class PullFailuresTest {

    private static ClusterPod pod(List<String> secrets, PodImage... images) {
        return new ClusterPod("shop", "web", Optional.of("worker-1"), Optional.of("Pending"), "builder", secrets,
                List.of(images));
    }

    private static PodImage waiting(String image, String reason, String message) {
        return new PodImage(Kind.CONTAINER, "app", image, Optional.empty(), Optional.of(reason),
                Optional.ofNullable(message));
    }

    private static PullFailure only(ClusterPod pod, List<PodEvent> events) {
        List<PullFailure> failures = PullFailures.explain(pod, events);
        assertThat(failures).hasSize(1);
        return failures.get(0);
    }

    @Test
    void aBackOffIsExplainedByTheNewestFailedEventAboutTheImage() {
        String image = "nginx:1.99";
        ClusterPod pod = pod(List.of(), waiting(image, "ImagePullBackOff", "Back-off pulling image \"nginx:1.99\""));
        List<PodEvent> events = List.of(
                new PodEvent("Pulling", "Pulling image \"nginx:1.99\"", 3),
                new PodEvent("Failed", "Failed to pull image \"nginx:1.99\": rpc error: code = NotFound desc = failed "
                        + "to pull and unpack image \"docker.io/library/nginx:1.99\": failed to resolve reference "
                        + "\"docker.io/library/nginx:1.99\": docker.io/library/nginx:1.99: not found", 3),
                new PodEvent("Failed", "Error: ErrImagePull", 3),
                new PodEvent("BackOff", "Back-off pulling image \"nginx:1.99\"", 5));
        PullFailure failure = only(pod, events);
        assertThat(failure.cause()).isEqualTo(Cause.NO_SUCH_IMAGE);
        assertThat(failure.state()).isEqualTo("ImagePullBackOff");
        assertThat(failure.kubeletSaid()).contains("not found");
        assertThat(failure.whatToDo()).contains("docker.io has no nginx:1.99").contains("gantry tags");
    }

    @Test
    void anUnauthorizedPullNamesTheSecretsOrTheirAbsence() {
        String message = "failed to pull and unpack image \"registry.example.com/team/app:1\": failed to resolve "
                + "reference \"registry.example.com/team/app:1\": failed to authorize: failed to fetch anonymous token: "
                + "unexpected status from GET request to https://registry.example.com/token: 401 Unauthorized";
        PullFailure none = only(pod(List.of(), waiting("registry.example.com/team/app:1", "ErrImagePull", message)),
                List.of());
        assertThat(none.cause()).isEqualTo(Cause.UNAUTHORIZED);
        assertThat(none.whatToDo()).contains("names no imagePullSecrets").contains("registry.example.com")
                .contains("namespace shop").contains("service account builder");
        PullFailure named = only(pod(List.of("regcred", "old"), waiting("registry.example.com/team/app:1",
                "ErrImagePull", message)), List.of());
        assertThat(named.whatToDo()).contains("regcred, old");
    }

    @Test
    void hostRateLimitCertificateAndPlainHttp() {
        assertThat(only(pod(List.of(), waiting("registry.invalid/app:1", "ErrImagePull", "failed to do request: Head "
                + "\"https://registry.invalid/v2/app/manifests/1\": dial tcp: lookup registry.invalid on 10.96.0.10:53: "
                + "no such host")), List.of()).cause()).isEqualTo(Cause.NO_SUCH_HOST);
        assertThat(only(pod(List.of(), waiting("nginx:1.27", "ErrImagePull", "429 Too Many Requests - Server message: "
                + "toomanyrequests: You have reached your pull rate limit.")), List.of()).cause())
                .isEqualTo(Cause.RATE_LIMITED);
        assertThat(only(pod(List.of(), waiting("registry.example.com/app:1", "ErrImagePull", "tls: failed to verify "
                + "certificate: x509: certificate signed by unknown authority")), List.of()).cause())
                .isEqualTo(Cause.UNTRUSTED_CERTIFICATE);
        assertThat(only(pod(List.of(), waiting("10.0.0.5:5000/app:1", "ErrImagePull", "http: server gave HTTP "
                + "response to HTTPS client")), List.of()).cause()).isEqualTo(Cause.PLAIN_HTTP);
        assertThat(only(pod(List.of(), waiting("10.0.0.5:5000/app:1", "ErrImagePull", "dial tcp 10.0.0.5:5000: "
                + "connect: connection refused")), List.of()).cause()).isEqualTo(Cause.UNREACHABLE);
        PullFailure unknown = only(pod(List.of(), waiting("app:1", "ErrImagePull", "something new")), List.of());
        assertThat(unknown.cause()).isEqualTo(Cause.UNKNOWN);
        assertThat(unknown.kubeletSaid()).isEqualTo("something new");
    }

    @Test
    void neverPullAndInvalidNamesNeedNoMessageAndHealthyImagesAreLeftOut() {
        ClusterPod pod = pod(List.of(),
                waiting("busybox:1.36", "ErrImageNeverPull", "Container image \"busybox:1.36\" is not present with "
                        + "pull policy of Never"),
                new PodImage(Kind.CONTAINER, "bad", "Bad:Name", Optional.empty(), Optional.of("InvalidImageName")),
                new PodImage(Kind.CONTAINER, "ok", "nginx:1.27", Optional.empty(), Optional.empty()),
                new PodImage(Kind.CONTAINER, "starting", "nginx:1.27", Optional.empty(), Optional.of("ContainerCreating")));
        List<PullFailure> failures = PullFailures.explain(pod, List.of());
        assertThat(failures).extracting(PullFailure::cause).containsExactly(Cause.NEVER_PULL, Cause.INVALID_NAME);
        assertThat(failures.get(0).whatToDo()).contains("gantry cp").contains("IfNotPresent");
    }
}
