package io.gantry.engine.cluster.fabric8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.engine.RegistryLogin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The logins in a pull secret's data, read as the kubelet reads them: {@code .dockerconfigjson}
 * ({@code {"auths":{SERVER:{…}}}}) or the older {@code .dockercfg} ({@code {SERVER:{…}}}); each
 * entry's {@code username} and {@code password}, else its {@code auth} (base64 of
 * {@code user:password}). Entries with neither (an identity token alone) are skipped, as the kubelet
 * cannot use them. Nothing read here is logged; a malformed secret reads as no login.
 */
final class DockerConfigJson {

    /** The largest secret data decoded: Kubernetes caps a secret at 1 MiB. */
    private static final int MAX_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerConfigJson() {
    }

    /** The logins of a secret of {@code type} with {@code data} (base64 values, as the API gives them). */
    static List<RegistryLogin> logins(String type, Map<String, String> data) {
        if (data == null) {
            return List.of();
        }
        Optional<JsonNode> auths = switch (type == null ? "" : type) {
            case "kubernetes.io/dockerconfigjson" -> decode(data.get(".dockerconfigjson")).map(root -> root.path("auths"));
            case "kubernetes.io/dockercfg" -> decode(data.get(".dockercfg"));
            default -> Optional.empty();
        };
        List<RegistryLogin> logins = new ArrayList<>();
        if (auths.isEmpty() || !auths.get().isObject()) {
            return logins;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.get().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            login(entry.getKey(), entry.getValue()).ifPresent(logins::add);
        }
        return logins;
    }

    private static Optional<RegistryLogin> login(String server, JsonNode entry) {
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        if (!username.isEmpty() || !password.isEmpty()) {
            return Optional.of(new RegistryLogin(server, username, password, Optional.empty()));
        }
        String auth = entry.path("auth").asText("");
        if (auth.isEmpty()) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(new RegistryLogin(server, decoded.substring(0, colon),
                    decoded.substring(colon + 1), Optional.empty()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<JsonNode> decode(String base64) {
        if (base64 == null || base64.length() > MAX_BYTES * 4 / 3 + 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(Base64.getDecoder().decode(base64.trim())));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty(); // no detail: the text could hold a credential
        }
    }
}
