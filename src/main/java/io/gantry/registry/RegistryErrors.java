package io.gantry.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.IoProblem;
import io.gantry.core.PeerText;
import io.gantry.registry.WireTemplates.ErrorTemplate;
import io.gantry.registry.WireTemplates.ErrorsTemplate;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Turns failed HTTP exchanges and I/O errors into {@link GantryException}s that carry the OCI
 * error code, the HTTP status, the operation and an action (go-containerregistry's
 * {@code transport.Error}). The one place that decides what a status means; only
 * {@link RegistryCaller} (and the token fetch it drives) calls it.
 */
final class RegistryErrors {

    /** Error bodies are short; more than this is not worth reading. */
    private static final long MAX_ERROR_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private RegistryErrors() {
    }

    /** The error for a response the operation does not handle. Reads (a bounded part of) its body. */
    static GantryException fromResponse(Response response, String operation, String registry) {
        return fromStatus(response.code(), readErrorBody(response), operation, registry);
    }

    /** The error for HTTP {@code status} with error body {@code body} (possibly empty). */
    static GantryException fromStatus(int status, String body, String operation, String registry) {
        List<ErrorTemplate> errors = parseErrors(body);
        Optional<ErrorTemplate> first = errors.stream().filter(e -> e.code() != null).findFirst();
        String code = first.map(ErrorTemplate::code).orElse(null);
        ErrorKind kind = kindOf(code, status);
        StringBuilder message = new StringBuilder("HTTP ").append(status);
        if (code != null) {
            message.append(' ').append(code);
        }
        first.map(ErrorTemplate::message).filter(m -> !m.isBlank())
                .ifPresent(m -> message.append(": ").append(shorten(m)));
        if (first.isEmpty()) {
            message.append(": ").append(defaultText(kind, status));
        }
        return new GantryException(kind, operation, message.toString(), code, status, action(kind, registry), null);
    }

    /** The error for a request that failed without an HTTP answer. */
    static GantryException fromIo(IOException e, String operation, String registry) {
        if (isUntrustedCertificate(e)) {
            return new GantryException(ErrorKind.UNAVAILABLE, operation,
                    "the TLS certificate of " + registry + " is not trusted: " + rootMessage(e), "TLS_UNTRUSTED", 0,
                    "If you trust this registry, put its CA certificate in certs.d/" + registry
                            + "/ca.crt under the Docker config directory or /etc/docker/certs.d.", e);
        }
        String what;
        if (e instanceof UnknownHostException) {
            what = "unknown host";
        } else if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            what = "cannot connect";
        } else if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            what = "timed out";
        } else if (e instanceof SSLException) {
            what = "TLS failed";
        } else {
            what = "connection failed";
        }
        return new GantryException(ErrorKind.UNAVAILABLE, operation, what + " (" + registry + "): " + rootMessage(e),
                null, 0, "Check that " + registry + " is reachable from this machine, then try again.", e);
    }

    static boolean isUntrustedCertificate(IOException e) {
        return e instanceof SSLHandshakeException && causedBy(e, CertificateException.class);
    }

    static String loginAction(String registry) {
        return registry.equals(ImageReference.DOCKER_HUB) ? "Log in with: docker login"
                : "Log in with: docker login " + registry;
    }

    private static ErrorKind kindOf(String code, int status) {
        if (code != null) {
            switch (code) {
                case "UNAUTHORIZED":
                    return ErrorKind.UNAUTHORIZED;
                case "DENIED":
                    return ErrorKind.DENIED;
                case "NAME_UNKNOWN", "MANIFEST_UNKNOWN", "BLOB_UNKNOWN", "BLOB_UPLOAD_UNKNOWN", "NOT_FOUND":
                    return ErrorKind.NOT_FOUND;
                case "TOOMANYREQUESTS":
                    return ErrorKind.RATE_LIMITED;
                case "NAME_INVALID", "TAG_INVALID", "PAGINATION_NUMBER_INVALID", "RANGE_INVALID":
                    return ErrorKind.INVALID_INPUT;
                case "MANIFEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "MANIFEST_UNVERIFIED", "DIGEST_INVALID",
                     "SIZE_INVALID", "BLOB_UPLOAD_INVALID":
                    return ErrorKind.BAD_CONTENT;
                case "UNSUPPORTED":
                    return ErrorKind.DENIED;
                default:
                    break;
            }
        }
        if (status == 401) {
            return ErrorKind.UNAUTHORIZED;
        }
        if (status == 403 || status == 405) {
            return ErrorKind.DENIED;
        }
        if (status == 404) {
            return ErrorKind.NOT_FOUND;
        }
        if (status == 409) {
            return ErrorKind.CONFLICT;
        }
        if (status == 429) {
            return ErrorKind.RATE_LIMITED;
        }
        if (status >= 500) {
            return ErrorKind.UNAVAILABLE;
        }
        if (status == 400) {
            return ErrorKind.BAD_CONTENT;
        }
        return ErrorKind.INTERNAL;
    }

    private static String defaultText(ErrorKind kind, int status) {
        return switch (kind) {
            case UNAUTHORIZED -> "authentication required";
            case DENIED -> status == 405 ? "the registry does not allow this operation" : "access denied";
            case NOT_FOUND -> "not found";
            case RATE_LIMITED -> "too many requests";
            case UNAVAILABLE -> "the registry failed";
            case CONFLICT -> "conflict";
            default -> "unexpected answer";
        };
    }

    private static String action(ErrorKind kind, String registry) {
        return switch (kind) {
            case UNAUTHORIZED -> loginAction(registry);
            case DENIED -> "Check that your account on " + registry + " may do this.";
            case NOT_FOUND -> "Check the repository name and tag.";
            case RATE_LIMITED -> registry.equals(ImageReference.DOCKER_HUB)
                    ? "Wait a while, or log in with docker login for a higher pull limit." : "Wait a while, then try again.";
            case UNAVAILABLE -> "The registry " + registry + " is having problems; try again later.";
            default -> null;
        };
    }

    private static List<ErrorTemplate> parseErrors(String body) {
        if (body.isBlank()) {
            return List.of();
        }
        try {
            ErrorsTemplate parsed = JSON.readValue(body, ErrorsTemplate.class);
            return parsed == null || parsed.errors() == null ? List.of() : parsed.errors();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String readErrorBody(Response response) {
        ResponseBody body = response.body();
        try {
            BufferedSource source = body.source();
            source.request(MAX_ERROR_BODY);
            long available = Math.min(source.getBuffer().size(), MAX_ERROR_BODY);
            return source.getBuffer().snapshot().substring(0, (int) available).string(StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String shorten(String message) {
        String oneLine = message.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof IOException io) {
            return IoProblem.describe(io);
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? "the connection failed" : PeerText.clean(message);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
