package io.gantry.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes on the wire (Jib's {@code *Template} classes), as records Jackson binds: error
 * bodies, tokens, tag lists, catalogs, Hub search, Docker's {@code config.json}. They stay inside
 * this package: the operations translate them to {@code io.gantry.core} records at the boundary.
 * Fields are nullable here because the wire format omits them; nothing outside this package sees a
 * null. Manifests, indexes and configs are read by {@link ManifestCodec} instead, field by field,
 * so that a field of the wrong JSON type is refused rather than coerced.
 */
final class WireTemplates {

    private WireTemplates() {
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
