package io.gantry.registry;

import io.gantry.core.Cancellation;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.PeerText;
import io.gantry.registry.RegistrySession.Challenge;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import javax.net.SocketFactory;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RegistryEndpoint}s (Jib's {@code RegistryEndpointCaller}): finds the registry's API
 * (HTTPS, or plain HTTP where allowed) and its auth challenge with a {@code GET /v2/} ping,
 * authenticates, follows redirects without leaking {@code Authorization} to other hosts, retries
 * 429/5xx/dropped connections with backoff honouring {@code Retry-After}, cancels the HTTP call
 * when the caller's {@link Cancellation} fires, and is the only place that turns HTTP statuses
 * and I/O errors into {@link GantryException}s.
 */
final class RegistryCaller {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryCaller.class);
    private static final int MAX_REDIRECTS = 10;

    private final OkHttpClient http;
    private final TransportSettings transport;
    private final RegistryAuthenticator authenticator;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Map<String, SessionSlot> sessions = new ConcurrentHashMap<>();
    /** Sockets for streamed bodies (null when the caller brought its own socket factory). */
    private final ReadAheadSocketFactory streamingSockets;
    private final Map<OkHttpClient, OkHttpClient> streamingClients = new ConcurrentHashMap<>();
    private final TlsOnDemand tls = new TlsOnDemand();
    private final KnownPlainHttp knownPlainHttp;

    /**
     * @param http the base HTTP client; the caller derives its own from it (timeouts from
     *             {@code transport}, redirects handled here, per-registry TLS trust)
     */
    RegistryCaller(OkHttpClient http, TransportSettings transport, RegistryAuthenticator authenticator,
                   RetryPolicy retry, Sleeper sleeper, Clock clock) {
        this(http, transport, authenticator, retry, sleeper, clock, KnownPlainHttp.none());
    }

    /**
     * As above, connecting over plain HTTP at once to the registries {@code knownPlainHttp} says
     * answered so last time (among those {@code transport} allows plain HTTP).
     */
    RegistryCaller(OkHttpClient http, TransportSettings transport, RegistryAuthenticator authenticator,
                   RetryPolicy retry, Sleeper sleeper, Clock clock, KnownPlainHttp knownPlainHttp) {
        OkHttpClient.Builder builder = http.newBuilder();
        boolean ownSockets = http.socketFactory() == SocketFactory.getDefault(); // keep a caller's own (a proxy's, say)
        if (ownSockets) {
            builder.socketFactory(ReadAheadSocketFactory.plain());
        }
        this.streamingSockets = ownSockets ? ReadAheadSocketFactory.withReadTimeout(transport.readTimeout()) : null;
        this.http = builder
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(transport.connectTimeout())
                .readTimeout(transport.readTimeout())
                .writeTimeout(transport.readTimeout())
                .build();
        this.transport = transport;
        this.authenticator = authenticator;
        this.retry = retry;
        this.sleeper = sleeper;
        this.clock = clock;
        this.knownPlainHttp = knownPlainHttp;
    }

    /** Whether this caller has set up TLS (for tests: a registry reached over plain HTTP alone needs none). */
    boolean tlsSetUp() {
        return tls.builtAny() || http.connectionSpecs().stream().anyMatch(okhttp3.ConnectionSpec::isTls);
    }

    /** Runs {@code endpoint} against {@code registry} (as named in references), authenticated. */
    <T> T call(String registry, RegistryEndpoint<T> endpoint, Cancellation cancellation) {
        RegistrySession session = session(registry, cancellation, endpoint.description());
        return run(session.registry(), session.base(), session.http(), Optional.of(session), endpoint, retry, cancellation);
    }

    /** Runs {@code endpoint} against a fixed base URL, without ping or authentication (Hub search). */
    <T> T callAt(HttpUrl base, RegistryEndpoint<T> endpoint, Cancellation cancellation) {
        return run(base.host(), base, http, Optional.empty(), endpoint, retry, cancellation);
    }

    /** The registry's session, pinging it the first time. */
    RegistrySession session(String registry, Cancellation cancellation, String operation) {
        return sessions.computeIfAbsent(registry, r -> new SessionSlot()).get(() -> connect(registry, cancellation, operation));
    }

    /**
     * Pings {@code /v2/} over HTTPS; for a registry that may use plain HTTP, over both at once and
     * takes whichever answers (HTTPS and HTTP cannot both work on one port). Racing rather than
     * falling back matters: a plain-HTTP server may sit on a TLS hello until the read timeout. A
     * registry that answered over plain HTTP last time ({@link KnownPlainHttp}) is pinged over plain
     * HTTP alone first, sparing a cold command the TLS set-up; if that fails, the race decides.
     */
    private RegistrySession connect(String registry, Cancellation cancellation, String operation) {
        String apiHost = registry.equals(ImageReference.DOCKER_HUB) ? ImageReference.DOCKER_HUB_API_HOST : registry;
        HttpUrl https = HttpUrl.parse("https://" + apiHost + "/");
        HttpUrl plain = HttpUrl.parse("http://" + apiHost + "/");
        if (https == null || plain == null) {
            throw new GantryException(ErrorKind.INVALID_INPUT, operation, "'" + apiHost + "' is not a valid registry host");
        }
        OkHttpClient client = clientFor(registry, apiHost, operation);
        if (!transport.allowsPlainHttp(registry)) {
            return ping(registry, https, client, retry, cancellation);
        }
        if (knownPlainHttp.contains(registry)) {
            try {
                return ping(registry, plain, client, RetryPolicy.NONE, cancellation);
            } catch (GantryException e) {
                cancellation.throwIfCancelled(operation);
                LOG.debug("Registry {} did not answer over plain HTTP as last time ({}); trying HTTPS and HTTP", registry,
                        e.getMessage());
            }
        }
        RegistrySession session = racePings(registry, https, plain, client, cancellation, operation);
        knownPlainHttp.note(registry, !session.base().isHttps());
        return session;
    }

    /** Pings over HTTPS and plain HTTP at once; the first answer wins. */
    private RegistrySession racePings(String registry, HttpUrl https, HttpUrl plain, OkHttpClient client,
                                      Cancellation cancellation, String operation) {
        Cancellation httpsLeg = new Cancellation();
        Cancellation plainLeg = new Cancellation();
        CompletableFuture<RegistrySession> winner = new CompletableFuture<>();
        AtomicReferenceArray<GantryException> failures = new AtomicReferenceArray<>(2);
        Cancellation.Registration registration = cancellation.onCancel(() -> {
            httpsLeg.cancel();
            plainLeg.cancel();
        });
        try {
            // The HTTPS leg does not retry: it only finds out whether the server speaks TLS.
            race(() -> ping(registry, https, client, RetryPolicy.NONE, httpsLeg), 0, winner, failures, client);
            race(() -> ping(registry, plain, client, retry, plainLeg), 1, winner, failures, client);
            try {
                return winner.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GantryException(ErrorKind.CANCELLED, operation, "interrupted", e);
            } catch (ExecutionException e) {
                cancellation.throwIfCancelled(operation);
                throw bothLegsFailed(registry, https, plain, failures.get(0), failures.get(1));
            } finally {
                httpsLeg.cancel();
                plainLeg.cancel();
            }
        } finally {
            registration.close();
        }
    }

    /**
     * What to report when HTTPS and plain HTTP both failed: the leg the server answered on (an
     * untrusted certificate or an HTTP error over TLS; an HTTP error over plain HTTP), so the
     * message names the URL that was really talking. When neither got an answer (nothing listens,
     * say), one message naming both URLs tried.
     */
    static GantryException bothLegsFailed(String registry, HttpUrl https, HttpUrl plain, GantryException viaHttps,
                                          GantryException viaPlain) {
        boolean httpsAnswered = "TLS_UNTRUSTED".equals(viaHttps.code().orElse(""))
                || viaHttps.httpStatus().isPresent();
        if (httpsAnswered) {
            return viaHttps;
        }
        if (viaPlain.httpStatus().isPresent() || viaHttps.getCause() instanceof SSLException
                || viaPlain.kind() == ErrorKind.CANCELLED) {
            return viaPlain; // the server speaks plain HTTP (its TLS hello failed) or the call was cancelled
        }
        return new GantryException(viaPlain.kind(), "connect to registry " + registry + " at " + https + " and "
                + plain, viaPlain.getMessage(), viaPlain.code().orElse(null), 0, viaPlain.action().orElse(null),
                viaPlain);
    }

    /** Runs one leg of the race; the first success wins, two failures lose. */
    private static void race(Supplier<RegistrySession> leg, int index, CompletableFuture<RegistrySession> winner,
                             AtomicReferenceArray<GantryException> failures, OkHttpClient client) {
        CompletableFuture.supplyAsync(leg, client.dispatcher().executorService()).whenComplete((session, error) -> {
            if (error == null) {
                winner.complete(session);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            GantryException failure = cause instanceof GantryException g ? g
                    : GantryException.unexpected("connect to registry", cause);
            failures.set(index, failure);
            if (failures.get(0) != null && failures.get(1) != null) {
                winner.completeExceptionally(failure);
            }
        });
    }

    private RegistrySession ping(String registry, HttpUrl base, OkHttpClient client, RetryPolicy policy,
                                 Cancellation cancellation) {
        Optional<Challenge> challenge = run(registry, base, client, Optional.empty(), new PingEndpoint(registry, base),
                policy, cancellation);
        LOG.debug("Registry {} answers at {} with auth {}", registry, base, challenge.map(Challenge::scheme).orElse("none"));
        return new RegistrySession(registry, base, client, challenge, tls);
    }

    /**
     * The client for a streamed body (a blob): HTTP/1.1 over sockets that enforce the read timeout
     * themselves, so OkHttp's per-read timeout watchdog is off (see {@link ReadAheadSocketFactory}).
     * Its connections are its own; small calls keep the client they were given.
     */
    private OkHttpClient streamingClient(OkHttpClient client) {
        if (streamingSockets == null) {
            return client;
        }
        return streamingClients.computeIfAbsent(client, c -> c.newBuilder()
                .protocols(List.of(Protocol.HTTP_1_1))
                .socketFactory(streamingSockets)
                .readTimeout(Duration.ZERO)
                .build());
    }

    private OkHttpClient clientFor(String registry, String apiHost, String operation) {
        try {
            Optional<RegistryTls.Trust> trust = RegistryTls.forHost(registry, transport.certsDirectories());
            if (trust.isEmpty() && !apiHost.equals(registry)) {
                trust = RegistryTls.forHost(apiHost, transport.certsDirectories());
            }
            return trust.map(t -> TlsOnDemand.withTrust(http, t.socketFactory(), t.trustManager())).orElse(http);
        } catch (IOException | GeneralSecurityException e) {
            throw new GantryException(ErrorKind.INVALID_INPUT, operation,
                    "cannot read the CA certificates for " + registry + " in certs.d: " + e.getMessage(), null, 0,
                    "Check the files in certs.d/" + registry + "; each *.crt must hold PEM certificates.", e);
        }
    }

    private <T> T run(String registry, HttpUrl base, OkHttpClient client, Optional<RegistrySession> session,
                      RegistryEndpoint<T> endpoint, RetryPolicy retry, Cancellation cancellation) {
        String operation = endpoint.description();
        AtomicReference<Call> inFlight = new AtomicReference<>();
        Cancellation.Registration registration = cancellation.onCancel(() -> {
            Call call = inFlight.get();
            if (call != null) {
                call.cancel();
            }
        });
        try {
            int attempt = 1;
            long started = System.nanoTime();
            boolean reauthenticated = false;
            Set<String> challengeScopes = Set.of();
            while (true) {
                cancellation.throwIfCancelled(operation);
                Request plain = endpoint.request(base);
                Request.Builder builder = plain.newBuilder();
                if (session.isPresent() && sameOrigin(base, plain.url())) {
                    authenticator.authorization(session.get(), endpoint.scopes(), challengeScopes, cancellation, operation)
                            .ifPresent(value -> {
                                PeerText.rememberSecret(value); // never shown, even if a peer echoes it
                                builder.header("Authorization", value);
                            });
                }
                Request request = builder.build();
                Duration wait;
                try (Response response = execute(client, request, inFlight, endpoint.streaming(), cancellation)) {
                    int status = response.code();
                    LOG.debug("{} {} -> {}", request.method(), redacted(request.url()), status);
                    if (status == 401 && session.isPresent() && !reauthenticated) {
                        challengeScopes = authenticator.unauthorized(session.get(), response, endpoint.scopes());
                        reauthenticated = true;
                        continue;
                    }
                    if (endpoint.handles(status)) {
                        return endpoint.handle(response);
                    }
                    if (status == 401) {
                        authenticator.forgetCredential(registry);
                    }
                    boolean retryable = status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
                    if (!retryable || !endpoint.idempotent() || attempt >= retry.maxAttempts()) {
                        throw RegistryErrors.fromResponse(response, operation, registry);
                    }
                    Optional<Duration> retryAfter = retryAfter(response.header("Retry-After"));
                    if (retryAfter.isPresent() && retryAfter.get().compareTo(retry.maxRetryAfter()) > 0) {
                        GantryException error = RegistryErrors.fromResponse(response, operation, registry);
                        throw new GantryException(error.kind(), operation, error.getMessage() + " (asked to wait "
                                + retryAfter.get().toSeconds() + " s)", error.code().orElse(null), status,
                                error.action().orElse(null), null);
                    }
                    wait = retryAfter.isPresent() ? retryAfter.get() : retry.backoff(attempt);
                    if (!endpoint.streaming() && pastBudget(started, wait)) {
                        GantryException error = RegistryErrors.fromResponse(response, operation, registry);
                        throw new GantryException(error.kind(), operation, error.getMessage() + " (gave up after "
                                + attempt + " attempts in " + transport.requestTimeout().toSeconds() + " s)",
                                error.code().orElse(null), status, error.action().orElse(null), null);
                    }
                    LOG.info("{}: {} answered HTTP {}; retrying in {} ms (attempt {} of {})", operation, registry,
                            status, wait.toMillis(), attempt + 1, retry.maxAttempts());
                } catch (IOException e) {
                    if (cancellation.isCancelled()) {
                        throw Cancellation.cancelledError(operation);
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        throw new GantryException(ErrorKind.CANCELLED, operation, "interrupted", e);
                    }
                    // A small call whose peer stayed silent for the whole read timeout is not sent
                    // again: that is how a registry that never answers took five minutes to fail.
                    // Nothing listening on this machine will not change in the next seconds: a
                    // refused loopback connection fails at once (it took 7.5 s of retries).
                    if (!retryable(e) || (e instanceof java.io.InterruptedIOException && !endpoint.streaming())
                            || (e instanceof ConnectException && TransportSettings.isLoopback(registry))
                            || !endpoint.idempotent()
                            || attempt >= retry.maxAttempts()) {
                        throw RegistryErrors.fromIo(e, operation, registry);
                    }
                    wait = retry.backoff(attempt);
                    if (!endpoint.streaming() && pastBudget(started, wait)) {
                        throw RegistryErrors.fromIo(e, operation, registry);
                    }
                    LOG.info("{}: connection to {} failed ({}); retrying in {} ms (attempt {} of {})", operation,
                            registry, e.toString(), wait.toMillis(), attempt + 1, retry.maxAttempts());
                }
                sleep(wait, cancellation, operation);
                attempt++;
            }
        } finally {
            registration.close();
        }
    }

    /**
     * Sends {@code request}, following redirects of GET and HEAD; {@code Authorization} is dropped
     * as soon as a redirect leaves the original scheme, host and port (e.g. a blob stored on S3).
     */
    private Response execute(OkHttpClient client, Request request, AtomicReference<Call> inFlight,
                             boolean streaming, Cancellation cancellation) throws IOException {
        Request current = request;
        for (int hop = 0; ; hop++) {
            Call call = tls.forUrl(streaming ? streamingClient(client) : client, current.url()).newCall(current);
            if (!streaming) {
                call.timeout().timeout(transport.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            inFlight.set(call);
            if (cancellation.isCancelled()) {
                call.cancel(); // cancelled between the check in run() and here: the hook saw the previous call
            }
            Response response = call.execute();
            if (!response.isRedirect() || hop >= MAX_REDIRECTS
                    || !(current.method().equals("GET") || current.method().equals("HEAD"))) {
                return response;
            }
            String location = response.header("Location");
            HttpUrl target = location == null ? null : current.url().resolve(location);
            if (target == null) {
                return response;
            }
            response.close();
            Request.Builder next = current.newBuilder().url(target);
            if (!sameOrigin(request.url(), target)) {
                next.removeHeader("Authorization");
            }
            LOG.debug("Following redirect to {}", redacted(target));
            current = next.build();
        }
    }

    /** Whether waiting {@code wait} more would take a small call past its whole-request deadline. */
    private boolean pastBudget(long startedNanos, Duration wait) {
        Duration spent = Duration.ofNanos(System.nanoTime() - startedNanos);
        return spent.plus(wait).compareTo(transport.requestTimeout()) > 0;
    }

    private void sleep(Duration wait, Cancellation cancellation, String operation) {
        try {
            sleeper.sleep(wait, cancellation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.CANCELLED, operation, "interrupted", e);
        }
        cancellation.throwIfCancelled(operation);
    }

    /** {@code Retry-After} as seconds or an HTTP date, relative to the injected clock. */
    Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(clock.instant(), when.toInstant());
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /** Failures worth another try: not a wrong host name and not a TLS problem. */
    private static boolean retryable(IOException e) {
        return !(e instanceof UnknownHostException) && !(e instanceof SSLException);
    }

    private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equalsIgnoreCase(b.host()) && a.port() == b.port();
    }

    /** A URL for logs: no query (upload state, presigned-URL signatures). */
    static String redacted(HttpUrl url) {
        return url.newBuilder().query(null).build().toString();
    }

    /** One ping per registry at a time; a failed ping is not remembered, so the next call tries again. */
    private static final class SessionSlot {
        private RegistrySession session;

        synchronized RegistrySession get(Supplier<RegistrySession> connect) {
            if (session == null) {
                session = connect.get();
            }
            return session;
        }
    }

    /** {@code GET /v2/}: 200 means no auth, 401 carries the challenge to answer. */
    private static final class PingEndpoint implements RegistryEndpoint<Optional<Challenge>> {
        private final String registry;
        private final HttpUrl base;

        PingEndpoint(String registry, HttpUrl base) {
            this.registry = registry;
            this.base = base;
        }

        @Override
        public String description() {
            return "connect to registry " + registry + " at " + base;
        }

        @Override
        public Request request(HttpUrl base) {
            return new Request.Builder().url(base.resolve("v2/")).get().build();
        }

        @Override
        public List<Scope> scopes() {
            return List.of();
        }

        @Override
        public boolean handles(int status) {
            return status == 200 || status == 401;
        }

        @Override
        public Optional<Challenge> handle(Response response) {
            return response.code() == 401 ? RegistryAuthenticator.parseChallenge(response) : Optional.empty();
        }
    }
}
