package io.gantry.registry;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.Repository;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Response;

/** Building registry API URLs and reading {@code Link} and {@code Location} headers. */
final class Urls {

    private Urls() {
    }

    /** {@code <base>v2/<repository>/<kind>/<reference>}, e.g. {@code …/v2/team/app/manifests/1.0}. */
    static HttpUrl.Builder repositoryUrl(HttpUrl base, Repository repository, String kind) {
        return base.newBuilder().addPathSegments("v2/" + repository.path() + "/" + kind);
    }

    /**
     * The {@code rel="next"} target of an RFC 5988 {@code Link} header, e.g.
     * {@code </v2/_catalog?last=b&n=2>; rel="next"}.
     */
    static Optional<String> nextLink(Response response) {
        for (String header : response.headers("Link")) {
            for (String link : header.split(",(?=\\s*<)")) {
                int open = link.indexOf('<');
                int close = link.indexOf('>', open + 1);
                if (open < 0 || close < 0) {
                    continue;
                }
                String params = link.substring(close + 1).replace(" ", "");
                if (params.contains("rel=\"next\"") || params.contains("rel=next")) {
                    return Optional.of(link.substring(open + 1, close).trim());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A page cursor resolved against the registry, refused when it points at another host (a
     * cursor comes from a registry's header and must not steer requests elsewhere).
     */
    static HttpUrl resolveCursor(HttpUrl base, String cursor, String operation) {
        HttpUrl url = base.resolve(cursor);
        if (url == null || !url.host().equalsIgnoreCase(base.host()) || url.port() != base.port()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, operation,
                    "the page cursor does not point at this registry: " + cursor);
        }
        return url;
    }

    /** The {@code Location} of an upload answer, resolved against the request URL. */
    static Optional<HttpUrl> location(Response response) {
        String location = response.header("Location");
        return location == null ? Optional.empty() : Optional.ofNullable(response.request().url().resolve(location));
    }
}
