package io.gantry.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes on the wire (Jib's {@code *Template} classes), as records Jackson binds. They
 * stay inside this package: {@link ManifestCodec} and the operations translate them to
 * {@code io.gantry.core} records at the boundary. Fields are nullable here because the wire
 * format omits them; nothing outside this package sees a null.
 */
final class WireTemplates {

    private WireTemplates() {
    }

    /** An OCI/Docker descriptor. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"mediaType", "digest", "size", "urls", "annotations", "platform"})
    record DescriptorTemplate(String mediaType, String digest, Long size, List<String> urls,
                              Map<String, String> annotations, PlatformTemplate platform) {
    }

    /** The platform object of an index entry. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"architecture", "os", "os.version", "variant"})
    record PlatformTemplate(String architecture, String os, @JsonProperty("os.version") String osVersion,
                            String variant) {
    }

    /**
     * Any manifest: an image manifest has {@code config} and {@code layers}, an index has
     * {@code manifests}. Schema 1 manifests have {@code schemaVersion} 1 and are refused.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"schemaVersion", "mediaType", "config", "layers", "manifests", "annotations"})
    record ManifestTemplate(Integer schemaVersion, String mediaType, DescriptorTemplate config,
                            List<DescriptorTemplate> layers, List<DescriptorTemplate> manifests,
                            Map<String, String> annotations) {
    }

    /** An image config blob (only the fields Gantry uses). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ConfigTemplate(String architecture, String os, @JsonProperty("os.version") String osVersion,
                          String variant, String created, String author, RunTemplate config,
                          List<HistoryTemplate> history, RootFsTemplate rootfs) {
    }

    /** The {@code config} object inside an image config. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RunTemplate(@JsonProperty("Env") List<String> env, @JsonProperty("Entrypoint") List<String> entrypoint,
                       @JsonProperty("Cmd") List<String> cmd, @JsonProperty("WorkingDir") String workingDir,
                       @JsonProperty("User") String user, @JsonProperty("Labels") Map<String, String> labels,
                       @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
                       @JsonProperty("Volumes") Map<String, Object> volumes,
                       @JsonProperty("StopSignal") String stopSignal) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record HistoryTemplate(String created, @JsonProperty("created_by") String createdBy, String comment,
                           String author, @JsonProperty("empty_layer") Boolean emptyLayer) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RootFsTemplate(String type, @JsonProperty("diff_ids") List<String> diffIds) {
    }

    /** The OCI distribution error body: {@code {"errors":[{"code":…,"message":…}]}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorsTemplate(List<ErrorTemplate> errors) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorTemplate(String code, String message) {
    }

    /** A token server's answer (Docker token spec and OAuth2 both). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TokenTemplate(String token, @JsonProperty("access_token") String accessToken,
                         @JsonProperty("expires_in") Long expiresIn, @JsonProperty("issued_at") String issuedAt) {

        /** Keeps the token out of logs and messages. */
        @Override
        public String toString() {
            return "TokenTemplate[expiresIn=" + expiresIn + ", issuedAt=" + issuedAt + "]";
        }
    }

    /** {@code GET /v2/<name>/tags/list}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TagListTemplate(String name, List<String> tags) {
    }

    /** {@code GET /v2/_catalog}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CatalogTemplate(List<String> repositories) {
    }

    /** Docker Hub's {@code GET /v1/search} answer. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record HubSearchTemplate(@JsonProperty("num_pages") Integer numPages,
                             @JsonProperty("num_results") Long numResults, Integer page,
                             @JsonProperty("page_size") Integer pageSize, String query,
                             List<HubResultTemplate> results) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record HubResultTemplate(String name, String description, @JsonProperty("star_count") Integer starCount,
                             @JsonProperty("is_official") Boolean official,
                             @JsonProperty("is_automated") Boolean automated) {
    }

    /** The parts of Docker's {@code config.json} that hold credentials. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record DockerConfigTemplate(Map<String, AuthEntryTemplate> auths, String credsStore,
                                Map<String, String> credHelpers) {

        @Override
        public String toString() {
            return "DockerConfigTemplate[auths=" + (auths == null ? "{}" : auths.keySet()) + ", credsStore="
                    + credsStore + ", credHelpers=" + credHelpers + "]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AuthEntryTemplate(String auth, String username, String password, String identitytoken) {

        @Override
        public String toString() {
            return "AuthEntryTemplate[***]";
        }
    }

    /** What {@code docker-credential-<helper> get} prints. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record HelperCredentialTemplate(@JsonProperty("ServerURL") String serverUrl,
                                    @JsonProperty("Username") String username,
                                    @JsonProperty("Secret") String secret) {

        @Override
        public String toString() {
            return "HelperCredentialTemplate[serverUrl=" + serverUrl + ", username=" + username + ", secret=***]";
        }
    }
}
