package io.gantry.engine.cluster.fabric8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.cluster.ClusterPod;
import io.gantry.engine.cluster.ClusterPod.Kind;
import io.gantry.engine.cluster.ClusterPod.PodImage;
import io.gantry.engine.cluster.PullPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pasted manifests read as written: a left-out policy stays empty for the kubelet's rules to default. */
class ManifestReaderTest {

    private final Fabric8Clusters clusters = new Fabric8Clusters(Map.of(), Path.of("/nonexistent-home"));

    @Test
    void aPodAndADeploymentInOneFile() {
        List<ClusterPod> pods = clusters.readManifest("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: debug
                spec:
                  nodeName: worker-1
                  containers:
                  - name: shell
                    image: busybox
                    imagePullPolicy: Never
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                spec:
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      initContainers:
                      - name: migrate
                        image: registry.example.com/shop/migrate:2.1
                      containers:
                      - name: nginx
                        image: nginx:1.27
                      volumes:
                      - name: models
                        image:
                          reference: registry.example.com/models
                """);
        assertThat(pods).extracting(ClusterPod::name).containsExactly("Pod/debug", "Deployment/web");
        assertThat(pods.get(0).nodeName()).contains("worker-1");
        assertThat(pods.get(0).namespace()).isEqualTo("default");
        assertThat(pods.get(0).images()).containsExactly(new PodImage(Kind.CONTAINER, "shell", "busybox",
                Optional.of(PullPolicy.NEVER), Optional.empty()));
        assertThat(pods.get(1).namespace()).isEqualTo("shop");
        assertThat(pods.get(1).images()).extracting(PodImage::kind, PodImage::image, PodImage::policy).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Kind.INIT_CONTAINER, "registry.example.com/shop/migrate:2.1", Optional.empty()),
                org.assertj.core.groups.Tuple.tuple(Kind.CONTAINER, "nginx:1.27", Optional.empty()),
                org.assertj.core.groups.Tuple.tuple(Kind.IMAGE_VOLUME, "registry.example.com/models", Optional.empty()));
    }

    @Test
    void aCronJobsTemplateIsFoundTwoLevelsDown() {
        List<ClusterPod> pods = clusters.readManifest("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: nightly}
                spec:
                  schedule: "0 3 * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: OnFailure
                          containers:
                          - {name: backup, image: "registry.example.com/backup:latest"}
                """);
        assertThat(pods).singleElement().satisfies(pod -> {
            assertThat(pod.name()).isEqualTo("CronJob/nightly");
            assertThat(pod.images()).extracting(PodImage::image).containsExactly("registry.example.com/backup:latest");
        });
    }

    @Test
    void textThatIsNoWorkloadIsRefusedPlainly() {
        for (String text : List.of("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n",
                "{{{ not yaml", "just words")) {
            assertThatThrownBy(() -> clusters.readManifest(text)).as(text)
                    .isInstanceOfSatisfying(GantryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                        assertThat(e.getMessage()).doesNotContain("io.fabric8").doesNotContain("Exception")
                                .doesNotContain("com.fasterxml");
                    });
        }
    }
}
