package io.gantry.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.registry.WireTemplates.CatalogTemplate;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code GET /v2/_catalog?n=<pageSize>[&last=<name>]}: one page of a registry's repository names;
 * the {@code Link: <…>; rel="next"} header becomes the page's cursor. Docker Hub and many hosted
 * registries do not serve a catalog (they answer 401, 403 or 404).
 */
final class CatalogLister implements RegistryEndpoint<Page<String>> {

    private final String registry;
    private final int pageSize;
    private final Optional<String> cursor;
    private final Optional<String> last;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * @param pageSize the page size to ask for (0 = the registry's default)
     * @param cursor   a {@link Page#next()} from the previous page, or empty
     * @param last     start after this repository name (the spec's {@code last}); ignored with a cursor
     */
    CatalogLister(String registry, int pageSize, Optional<String> cursor, Optional<String> last) {
        this.registry = registry;
        this.pageSize = pageSize;
        this.cursor = cursor;
        this.last = last;
    }

    @Override
    public String description() {
        return "list repositories of " + registry;
    }

    @Override
    public Request request(HttpUrl base) {
        HttpUrl url;
        if (cursor.isPresent()) {
            url = Urls.resolveCursor(base, cursor.get(), description());
        } else {
            HttpUrl.Builder builder = base.newBuilder().addPathSegments("v2/_catalog");
            if (pageSize > 0) {
                builder.addQueryParameter("n", Integer.toString(pageSize));
            }
            last.ifPresent(l -> builder.addQueryParameter("last", l));
            url = builder.build();
        }
        return new Request.Builder().url(url).get().header("Accept", "application/json").build();
    }

    @Override
    public List<Scope> scopes() {
        return List.of(Scope.catalog());
    }

    @Override
    public Page<String> handle(Response response) throws IOException {
        byte[] body = Bodies.readLimited(response.body(), TagLister.MAX_LIST_BYTES, description(), "catalog");
        CatalogTemplate template;
        try {
            template = json.readValue(body, CatalogTemplate.class);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.BAD_CONTENT, description(), "the catalog is not valid JSON");
        }
        List<String> names = template == null || template.repositories() == null ? List.of()
                : template.repositories().stream().filter(n -> n != null).toList();
        return new Page<>(names, Urls.nextLink(response));
    }
}
