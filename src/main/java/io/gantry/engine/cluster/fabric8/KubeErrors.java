package io.gantry.engine.cluster.fabric8;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.cluster.KubeContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The one place that turns fabric8's failures into {@link GantryException}s: by the HTTP status
 * the API server answered with, or by the kind of transport failure; never by message text. The
 * API server's own message (a {@code Status}'s) is kept as peer text, which the CLI and the window
 * clean before showing it.
 */
final class KubeErrors {

    private KubeErrors() {
    }

    static GantryException map(String operation, KubeContext context, RuntimeException failure) {
        if (failure instanceof GantryException gantry) {
            return gantry;
        }
        String server = context.server().isBlank() ? "the API server of context " + context.name()
                : "the API server " + context.server();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AnswerCap.TooLarge tooLarge) {
                return new GantryException(ErrorKind.BAD_CONTENT, operation, server + " sent an answer larger than "
                        + binarySize(tooLarge.maxBytes()) + ", more than Gantry reads of one answer", null, 0,
                        "Check that the context's server is the cluster's API server and not a proxy or another "
                                + "service (kubectl cluster-info --context " + context.name() + ").", failure);
            }
        }
        if (failure instanceof KubernetesClientException kube && kube.getCode() > 0) {
            String said = kube.getStatus() != null && kube.getStatus().getMessage() != null
                    ? ": " + kube.getStatus().getMessage() : "";
            return switch (kube.getCode()) {
                case 401 -> new GantryException(ErrorKind.UNAUTHORIZED, operation, server + " did not accept the "
                        + "credentials of user " + context.user() + said, null, 401, "Log in again for context "
                        + context.name() + " (your cluster's login command), then retry.", failure);
                case 403 -> new GantryException(ErrorKind.DENIED, operation, "user " + context.user()
                        + " may not do this on context " + context.name() + said, null, 403, "Ask the cluster's "
                        + "administrator for the RBAC permission (kubectl auth can-i --context " + context.name()
                        + " shows what you may do), or choose another context.", failure);
                case 404 -> new GantryException(ErrorKind.NOT_FOUND, operation, "not found on " + server + said,
                        null, 404, null, failure);
                default -> new GantryException(ErrorKind.UNAVAILABLE, operation, server + " answered HTTP "
                        + kube.getCode() + said, null, kube.getCode(), "Retry; if it persists, check the cluster "
                        + "(kubectl cluster-info --context " + context.name() + ").", failure);
            };
        }
        return unreachable(operation, context, server, failure);
    }

    /** 65536 → "64 KiB", 67108864 → "64 MiB". */
    static String binarySize(long bytes) {
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }

    static GantryException timedOut(String operation, KubeContext context, long seconds) {
        return new GantryException(ErrorKind.UNAVAILABLE, operation, "the API server " + context.server()
                + " did not answer within " + seconds + " s", null, 0, "Check that the cluster is running and "
                + "reachable (kubectl cluster-info --context " + context.name() + "), then retry.", null);
    }

    private static GantryException unreachable(String operation, KubeContext context, String server, Throwable failure) {
        String why = "cannot be reached";
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                why = "refused the connection";
                break;
            } else if (cause instanceof UnknownHostException) {
                why = "has a host name that does not resolve";
                break;
            } else if (cause instanceof SSLException) {
                why = "failed the TLS handshake (certificate or CA of the context)";
                break;
            } else if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
                why = "did not answer in time";
                break;
            } else if (cause instanceof IOException) {
                why = "broke off the connection";
            }
        }
        return new GantryException(ErrorKind.UNAVAILABLE, operation, server + " " + why, null, 0,
                "Check that the cluster is running and the context's server is right (kubectl cluster-info --context "
                        + context.name() + "), or choose another context.", failure);
    }
}
