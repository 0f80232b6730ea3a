package io.gantry.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small token server for the registry's {@code auth.token} mode, on the JDK's HTTP server:
 * {@code GET /token?service=…&scope=…} answers a JWT signed (RS256) with a test key whose
 * certificate is the registry's {@code rootcertbundle} (sent in the {@code x5c} header). Users
 * authenticate with HTTP Basic; anonymous callers get {@code pull} only, known users every action
 * they ask for, and a wrong password gets 401.
 */
final class TestTokenServer implements AutoCloseable {

    /** One token request: who asked (empty for anonymous) and for which scopes. */
    record Issued(String account, List<String> scopes) {
    }

    private final HttpServer server;
    private final TestPki.KeyAndCert signer;
    private final String issuer;
    private final String service;
    private final Map<String, String> users;
    private final List<Issued> issued = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    TestTokenServer(TestPki.KeyAndCert signer, String issuer, String service, Map<String, String> users) {
        this.signer = signer;
        this.issuer = issuer;
        this.service = service;
        this.users = Map.copyOf(users);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/token", this::handle);
        server.start();
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    List<Issued> issued() {
        return List.copyOf(issued);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
            String account = "";
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null && authorization.startsWith("Basic ")) {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                String user = pair.substring(0, colon);
                if (!pair.substring(colon + 1).equals(users.get(user))) {
                    send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"invalid username or password\"}]}");
                    return;
                }
                account = user;
            }
            if (!service.equals(first(query, "service"))) {
                send(exchange, 400, "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"unknown service\"}]}");
                return;
            }
            List<String> scopes = query.getOrDefault("scope", List.of());
            issued.add(new Issued(account, scopes));
            String token = token(account, scopes);
            send(exchange, 200, json.writeValueAsString(Map.of("token", token, "access_token", token,
                    "expires_in", 300, "issued_at", Instant.now().toString())));
        }
    }

    private String token(String account, List<String> scopes) {
        List<Map<String, Object>> access = new ArrayList<>();
        for (String scope : scopes) {
            for (String single : scope.split(" ")) {
                String[] parts = single.split(":");
                if (parts.length < 3) {
                    continue;
                }
                String actions = parts[parts.length - 1];
                String name = String.join(":", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1));
                List<String> granted = new ArrayList<>();
                for (String action : actions.split(",")) {
                    if (!account.isEmpty() || action.equals("pull")) {
                        granted.add(action);
                    }
                }
                access.add(Map.of("type", parts[0], "name", name, "actions", granted));
            }
        }
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", account);
        claims.put("aud", service);
        claims.put("exp", now + 300);
        claims.put("nbf", now - 10);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", access);
        try {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("alg", "RS256");
            header.put("typ", "JWT");
            header.put("x5c", List.of(Base64.getEncoder().encodeToString(signer.certificate().getEncoded())));
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            String signingInput = url.encodeToString(json.writeValueAsBytes(header)) + "."
                    + url.encodeToString(json.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(signer.privateKey());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + url.encodeToString(rsa.sign());
        } catch (CertificateEncodingException | IOException e) {
            throw new IllegalStateException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return values;
    }

    private static String first(Map<String, List<String>> query, String key) {
        List<String> values = query.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
