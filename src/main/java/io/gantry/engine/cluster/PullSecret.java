package io.gantry.engine.cluster;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.RegistryLogin;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An image pull secret ({@code kubernetes.io/dockerconfigjson}) built from the user's own
 * registry logins: its one data key {@value #DATA_KEY} holds
 * {@code {"auths":{"<server>":{"username":…,"password":…,"auth":base64(user:password)}}}}, the
 * form {@code kubectl create secret docker-registry} writes and the kubelet reads. Docker Hub is
 * keyed {@code https://index.docker.io/v1/}, as the logins already are.
 *
 * <p>The credentials leave this record only through {@link #encodedData()}, which goes to the API
 * server and nowhere else. {@link #redactedYaml()} (the preview) and {@link #toString()} show the
 * registries and user names, never a password, token or the encoded data.
 *
 * @param namespace the namespace the secret goes into
 * @param name      the secret's name
 * @param logins    one login per registry, in the order given
 */
public record PullSecret(String namespace, String name, List<RegistryLogin> logins) {

    public static final String TYPE = "kubernetes.io/dockerconfigjson";
    public static final String DATA_KEY = ".dockerconfigjson";
    /** The label that says Gantry wrote the secret. */
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

    /** A DNS-1123 subdomain, as Kubernetes requires of a secret's name. */
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** A DNS-1123 label, as Kubernetes requires of a namespace's name. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final String OPERATION = "build pull secret";

    /**
     * @throws GantryException {@code INVALID_INPUT} for a name or namespace Kubernetes would refuse,
     *     no login, or a login the kubelet cannot use (an identity token: the kubelet sends only a
     *     user name and password)
     */
    public PullSecret {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        logins = List.copyOf(logins);
        if (name.length() > 253 || !SUBDOMAIN.matcher(name).matches()) {
            throw invalid("the secret name '" + name + "' is not a lower-case DNS name",
                    "Name it with lower-case letters, digits, '-' and '.', e.g. pull-registry-example-com.");
        }
        if (namespace.length() > 63 || !LABEL.matcher(namespace).matches()) {
            throw invalid("the namespace '" + namespace + "' is not a lower-case DNS label",
                    "Give the namespace's name, e.g. shop.");
        }
        if (logins.isEmpty()) {
            throw invalid("no registry login to put in the secret", "Choose at least one registry you are logged in to.");
        }
        for (RegistryLogin login : logins) {
            if (login.identityToken().isPresent()) {
                throw invalid("your login for " + login.serverAddress() + " is an identity token, which the kubelet "
                        + "cannot use", "Log in to " + login.serverAddress() + " with a user name and password or an "
                        + "access token (docker login), then retry.");
            }
        }
    }

    /**
     * A name for the secret of {@code registry} when the user gives none:
     * {@code pull-<registry>} with {@code :} and other characters a name may not hold as {@code -}.
     */
    public static String defaultName(String registry) {
        String cleaned = registry.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-")
                .replaceAll("-+", "-").replaceAll("^[-.]+|[-.]+$", "");
        return "pull-" + (cleaned.isEmpty() ? "registry" : cleaned);
    }

    /** The secret's data value: the JSON above, base64 as a secret's {@code data} holds it. */
    public String encodedData() {
        return Base64.getEncoder().encodeToString(dockerConfigJson().getBytes(StandardCharsets.UTF_8));
    }

    /** The decoded data: {@code {"auths":{…}}}. */
    String dockerConfigJson() {
        StringBuilder json = new StringBuilder("{\"auths\":{");
        for (int i = 0; i < logins.size(); i++) {
            RegistryLogin login = logins.get(i);
            String auth = Base64.getEncoder().encodeToString((login.username() + ":" + login.password())
                    .getBytes(StandardCharsets.UTF_8));
            json.append(i == 0 ? "" : ",").append(JsonText.quote(login.serverAddress())).append(":{")
                    .append("\"username\":").append(JsonText.quote(login.username())).append(',')
                    .append("\"password\":").append(JsonText.quote(login.password())).append(',')
                    .append("\"auth\":").append(JsonText.quote(auth)).append('}');
        }
        return json.append("}}").toString();
    }

    /**
     * The secret as YAML, its data replaced by {@code <redacted>} and a comment naming each
     * registry and user: what the user checks before applying.
     */
    public String redactedYaml() {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# ").append(TYPE).append(" with ").append(logins.size() == 1 ? "a login" : logins.size() + " logins")
                .append(" from your Docker credentials; the data is redacted here\n");
        for (RegistryLogin login : logins) {
            yaml.append("#   ").append(clean(login.serverAddress())).append(" as user ")
                    .append(login.username().isEmpty() ? "(none)" : clean(login.username())).append('\n');
        }
        yaml.append("apiVersion: v1\n")
                .append("kind: Secret\n")
                .append("metadata:\n")
                .append("  name: ").append(name).append('\n')
                .append("  namespace: ").append(namespace).append('\n')
                .append("  labels:\n")
                .append("    ").append(MANAGED_BY_LABEL).append(": gantry\n")
                .append("type: ").append(TYPE).append('\n')
                .append("data:\n")
                .append("  ").append(DATA_KEY).append(": <redacted>\n");
        return yaml.toString();
    }

    @Override
    public String toString() {
        return "PullSecret[" + namespace + "/" + name + ", registries=" + logins.stream()
                .map(RegistryLogin::serverAddress).toList() + ", data redacted]";
    }


    /** One line of a YAML comment: no line breaks or control characters from a config file. */
    private static String clean(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }

    private static GantryException invalid(String message, String action) {
        return new GantryException(ErrorKind.INVALID_INPUT, OPERATION, message, null, 0, action, null);
    }
}
