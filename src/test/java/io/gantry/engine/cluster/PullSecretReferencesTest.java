package io.gantry.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.cluster.PullSecretReferences.Reference;
import io.gantry.engine.cluster.PullSecretReferences.SecretRef;
import io.gantry.engine.cluster.PullSecretReferences.ServiceAccountRef;
import io.gantry.engine.cluster.PullSecretReferences.State;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** References to pull secrets checked against the secrets that exist, per namespace. */
class PullSecretReferencesTest {

    @Test
    void missingAndWrongTypeComeFirstAndNamespacesAreKeptApart() {
        ClusterPod web = new ClusterPod("shop", "web", Optional.empty(), Optional.empty(), "default",
                List.of("regcred", "gone"), List.of());
        ClusterPod batch = new ClusterPod("batch", "job", Optional.empty(), Optional.empty(), "default",
                List.of("regcred"), List.of());
        ServiceAccountRef builder = new ServiceAccountRef("shop", "builder", List.of("tls-cert"));
        List<SecretRef> secrets = List.of(new SecretRef("shop", "regcred", PullSecretReferences.DOCKER_CONFIG_JSON),
                new SecretRef("shop", "tls-cert", "kubernetes.io/tls"),
                new SecretRef("other", "regcred", PullSecretReferences.DOCKER_CFG));

        List<Reference> references = PullSecretReferences.check(List.of(web, batch), List.of(builder), secrets);

        assertThat(references).containsExactly(
                new Reference("batch", "pod/job", "regcred", State.MISSING),
                new Reference("shop", "pod/web", "gone", State.MISSING),
                new Reference("shop", "serviceaccount/builder", "tls-cert", State.WRONG_TYPE),
                new Reference("shop", "pod/web", "regcred", State.OK));
    }

    @Test
    void theOlderDockercfgTypeIsAPullSecretToo() {
        ClusterPod pod = new ClusterPod("old", "app", Optional.empty(), Optional.empty(), "default", List.of("legacy"),
                List.of());
        assertThat(PullSecretReferences.check(List.of(pod), List.of(),
                List.of(new SecretRef("old", "legacy", PullSecretReferences.DOCKER_CFG))))
                .extracting(Reference::state).containsExactly(State.OK);
        assertThat(PullSecretReferences.check(List.of(), List.of(), List.of())).isEmpty();
    }
}
