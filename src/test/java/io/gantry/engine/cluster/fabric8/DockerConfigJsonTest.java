package io.gantry.engine.cluster.fabric8;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.RegistryLogin;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reading the logins back out of a pull secret as the kubelet reads them (the Kubernetes
 * documentation's "Pull an Image from a Private Registry" and the kubelet's credential provider):
 * {@code .dockerconfigjson} with {@code auths}, the older {@code .dockercfg} without, username and
 * password or {@code auth} alone; what the kubelet cannot use is skipped.
 */
class DockerConfigJsonTest {

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsBothFormsAndEitherWayOfWritingALogin() {
        List<RegistryLogin> json = DockerConfigJson.logins("kubernetes.io/dockerconfigjson", Map.of(".dockerconfigjson",
                b64("{\"auths\":{\"r.example.com\":{\"username\":\"u1\",\"password\":\"p1\"},"
                        + "\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("u2:p:2") + "\"},"
                        + "\"ghcr.io\":{\"identitytoken\":\"tok\"}}}")));
        assertThat(json).containsExactly(new RegistryLogin("r.example.com", "u1", "p1", Optional.empty()),
                new RegistryLogin("https://index.docker.io/v1/", "u2", "p:2", Optional.empty()));

        List<RegistryLogin> legacy = DockerConfigJson.logins("kubernetes.io/dockercfg", Map.of(".dockercfg",
                b64("{\"r.example.com\":{\"auth\":\"" + b64("u3:p3") + "\",\"email\":\"x@y\"}}")));
        assertThat(legacy).containsExactly(new RegistryLogin("r.example.com", "u3", "p3", Optional.empty()));
    }

    @Test
    void anythingElseIsNoLogin() {
        assertThat(DockerConfigJson.logins("Opaque", Map.of(".dockerconfigjson", b64("{\"auths\":{}}")))).isEmpty();
        assertThat(DockerConfigJson.logins("kubernetes.io/dockerconfigjson", Map.of(".dockerconfigjson", "%%%"))).isEmpty();
        assertThat(DockerConfigJson.logins("kubernetes.io/dockerconfigjson", Map.of(".dockerconfigjson", b64("[1,2")))).isEmpty();
        assertThat(DockerConfigJson.logins("kubernetes.io/dockerconfigjson", null)).isEmpty();
        assertThat(DockerConfigJson.logins("kubernetes.io/dockerconfigjson", Map.of(".dockerconfigjson",
                b64("{\"auths\":{\"r\":{\"auth\":\"" + b64("no-colon") + "\"}}}")))).isEmpty();
    }
}
