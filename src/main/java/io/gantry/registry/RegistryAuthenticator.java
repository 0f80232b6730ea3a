package io.gantry.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.Cancellation;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.registry.RegistrySession.Challenge;
import io.gantry.registry.RegistrySession.Token;
import io.gantry.registry.WireTemplates.TokenTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers registries' auth challenges: Basic with the user's credential, Bearer with a token from
 * the challenge's realm for the operation's scopes (anonymous when there is no credential), cached
 * per scope until it expires and refreshed when the registry answers 401 anyway.
 *
 * <p>Credentials are sent to a token realm only over HTTPS, or plain HTTP to a host that may use
 * it (loopback, or marked insecure). No secret or token is logged or put in an error message.
 */
final class RegistryAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryAuthenticator.class);
    /** What the Docker token spec says to assume when a token names no lifetime. */
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    /** Renew this long before expiry, so a token does not lapse in flight. */
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(5);
    private static final long MAX_TOKEN_RESPONSE = 1024 * 1024;

    private final CredentialStore credentials;
    private final TransportSettings transport;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** Credentials looked up once per registry per client; dropped when the registry rejects them. */
    private final Map<String, Optional<Credential>> credentialCache = new ConcurrentHashMap<>();

    RegistryAuthenticator(CredentialStore credentials, TransportSettings transport, Clock clock) {
        this.credentials = credentials;
        this.transport = transport;
        this.clock = clock;
    }

    /**
     * The {@code Authorization} header for a request to {@code session} needing {@code scopes},
     * or empty to go anonymous. May fetch a token.
     *
     * @param extraScopes scopes a 401 challenge asked for, added to the token request
     */
    Optional<String> authorization(RegistrySession session, List<Scope> scopes, Set<String> extraScopes,
                                   Cancellation cancellation, String operation) {
        Optional<Challenge> challenge = session.challenge();
        if (challenge.isEmpty()) {
            return Optional.empty();
        }
        if (challenge.get().isBasic()) {
            return credential(session.registry())
                    .filter(c -> !c.identityToken())
                    .map(c -> Credentials.basic(c.username(), c.secret(), StandardCharsets.UTF_8));
        }
        if (!challenge.get().isBearer()) {
            LOG.debug("{} asks for unsupported auth scheme {}", session.registry(), challenge.get().scheme());
            return Optional.empty();
        }
        Set<String> wanted = new LinkedHashSet<>();
        scopes.forEach(s -> wanted.add(s.toString()));
        wanted.addAll(extraScopes);
        String key = String.join(" ", wanted);
        Optional<Token> cached = session.token(key);
        if (cached.isPresent() && clock.instant().isBefore(cached.get().expiresAt().minus(EXPIRY_MARGIN))) {
            return Optional.of("Bearer " + cached.get().value());
        }
        Token token = fetchToken(session, challenge.get(), wanted, cancellation, operation);
        session.token(key, token);
        return Optional.of("Bearer " + token.value());
    }

    /**
     * Learns from a 401: records the challenge it carries and forgets the token that was refused.
     *
     * @return the scopes the challenge asked for (to add to the next token request)
     */
    Set<String> unauthorized(RegistrySession session, Response response, List<Scope> scopes) {
        Optional<Challenge> challenge = parseChallenge(response);
        challenge.ifPresent(session::challenge);
        Set<String> wanted = new LinkedHashSet<>();
        scopes.forEach(s -> wanted.add(s.toString()));
        session.forgetToken(String.join(" ", wanted));
        return challenge.flatMap(c -> c.param("scope"))
                .map(s -> Set.of(s.split(" ")))
                .orElse(Set.of());
    }

    /** Called when a registry refused the credential outright, so the next call reads it afresh. */
    void forgetCredential(String registry) {
        credentialCache.remove(registry);
    }

    /** The preferred challenge of a response: Bearer if offered, else Basic, else the first. */
    static Optional<Challenge> parseChallenge(Response response) {
        List<okhttp3.Challenge> offered = response.challenges();
        Optional<okhttp3.Challenge> chosen = offered.stream().filter(c -> c.scheme().equalsIgnoreCase("Bearer")).findFirst()
                .or(() -> offered.stream().filter(c -> c.scheme().equalsIgnoreCase("Basic")).findFirst())
                .or(() -> offered.stream().findFirst());
        return chosen.map(c -> new Challenge(c.scheme(), c.authParams().entrySet().stream()
                .filter(e -> e.getKey() != null && e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a))));
    }

    private Optional<Credential> credential(String registry) {
        Optional<Credential> cached = credentialCache.get(registry);
        if (cached != null) {
            return cached;
        }
        // Looked up outside the map's lock: a credential helper may take seconds.
        Optional<Credential> found = credentials.credentialFor(registry);
        credentialCache.putIfAbsent(registry, found);
        return found;
    }

    private Token fetchToken(RegistrySession session, Challenge challenge, Set<String> scopes,
                             Cancellation cancellation, String operation) {
        String registry = session.registry();
        HttpUrl realm = challenge.param("realm").map(HttpUrl::parse).orElse(null);
        if (realm == null) {
            throw new GantryException(ErrorKind.BAD_CONTENT, operation,
                    registry + " asked for a bearer token but named no valid realm", null, 401, null, null);
        }
        boolean realmMaySeeSecrets = realm.isHttps() || transport.allowsPlainHttp(realm.host())
                || transport.allowsPlainHttp(realm.host() + ":" + realm.port());
        Optional<Credential> credential = realmMaySeeSecrets ? credential(registry) : Optional.empty();
        if (!realmMaySeeSecrets) {
            LOG.warn("Not sending credentials for {} to its token realm over plain HTTP ({})", registry, realm.host());
        }
        Request request = tokenRequest(realm, challenge.param("service"), scopes, credential);
        Call call = session.http(request.url()).newCall(request);
        call.timeout().timeout(transport.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        LOG.debug("Fetching a token for {} from {} (scopes {}, {})", registry, realm.host(), scopes,
                credential.isPresent() ? "with credentials" : "anonymous");
        Cancellation.Registration registration = cancellation.onCancel(call::cancel);
        try (Response response = call.execute()) {
            if (response.code() == 401 || response.code() == 403) {
                credentialCache.remove(registry);
                GantryException refused = RegistryErrors.fromResponse(response, operation, registry);
                String who = credential.map(c -> c.username().isEmpty() ? "the identity token"
                        : "the credentials of user " + c.username()).orElse("anonymous access");
                throw new GantryException(ErrorKind.UNAUTHORIZED, operation,
                        "the token server of " + registry + " refused " + who + " (" + refused.getMessage() + ")",
                        refused.code().orElse("UNAUTHORIZED"), response.code(), RegistryErrors.loginAction(registry), null);
            }
            if (!response.isSuccessful()) {
                throw RegistryErrors.fromResponse(response, operation, registry);
            }
            byte[] body = Bodies.readLimited(response.body(), MAX_TOKEN_RESPONSE, operation, "token answer");
            return toToken(body, operation, registry);
        } catch (IOException e) {
            cancellation.throwIfCancelled(operation);
            throw RegistryErrors.fromIo(e, operation, realm.host());
        } finally {
            registration.close();
        }
    }

    private Token toToken(byte[] body, String operation, String registry) {
        TokenTemplate template;
        try {
            template = json.readValue(body, TokenTemplate.class);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.BAD_CONTENT, operation,
                    "the token server of " + registry + " sent something that is not a token");
        }
        String value = template.token() != null && !template.token().isEmpty() ? template.token() : template.accessToken();
        if (value == null || value.isEmpty()) {
            throw new GantryException(ErrorKind.BAD_CONTENT, operation,
                    "the token server of " + registry + " sent an answer without a token");
        }
        Duration lifetime = template.expiresIn() != null && template.expiresIn() > 0
                ? Duration.ofSeconds(template.expiresIn()) : DEFAULT_TOKEN_LIFETIME;
        // Lifetimes count from our clock, not issued_at, so a skewed registry clock cannot expire tokens early.
        Instant expiresAt = clock.instant().plus(lifetime);
        return new Token(value, expiresAt);
    }

    private static Request tokenRequest(HttpUrl realm, Optional<String> service, Set<String> scopes,
                                        Optional<Credential> credential) {
        if (credential.isPresent() && credential.get().identityToken()) {
            FormBody.Builder form = new FormBody.Builder()
                    .add("grant_type", "refresh_token")
                    .add("refresh_token", credential.get().secret())
                    .add("client_id", "gantry");
            service.ifPresent(s -> form.add("service", s));
            if (!scopes.isEmpty()) {
                form.add("scope", String.join(" ", scopes));
            }
            return new Request.Builder().url(realm).post(form.build()).build();
        }
        HttpUrl.Builder url = realm.newBuilder();
        service.ifPresent(s -> url.addQueryParameter("service", s));
        scopes.forEach(s -> url.addQueryParameter("scope", s));
        Request.Builder request = new Request.Builder().url(url.build()).get();
        credential.ifPresent(c -> {
            url.addQueryParameter("account", c.username());
            String basic = Credentials.basic(c.username(), c.secret(), StandardCharsets.UTF_8);
            io.gantry.core.PeerText.rememberSecret(basic);
            request.url(url.build()).header("Authorization", basic);
        });
        return request.build();
    }
}
