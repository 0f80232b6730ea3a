package io.gantry.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.registry.WireTemplates.HubResultTemplate;
import io.gantry.registry.WireTemplates.HubSearchTemplate;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Docker Hub search, as the engine's {@code /images/search} does it: {@code GET
 * <base>/v1/search?q=<term>&n=<pageSize>&page=<page>} on the index ({@code https://index.docker.io}
 * by default), answered with {@code name}, {@code description}, {@code star_count},
 * {@code is_official}, {@code is_automated} per result and {@code num_pages}/{@code num_results}.
 * The page cursor is the next page number.
 */
final class HubSearcher implements RegistryEndpoint<SearchPage> {

    /** Docker Hub's search service. */
    static final HttpUrl DEFAULT_BASE = HttpUrl.get("https://index.docker.io/");

    private final String term;
    private final int pageSize;
    private final int page;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    HubSearcher(String term, int pageSize, int page) {
        this.term = term;
        this.pageSize = pageSize;
        this.page = page;
    }

    @Override
    public String description() {
        return "search Docker Hub for '" + term + "'";
    }

    @Override
    public Request request(HttpUrl base) {
        HttpUrl url = base.newBuilder().addPathSegments("v1/search")
                .addQueryParameter("q", term)
                .addQueryParameter("n", Integer.toString(pageSize))
                .addQueryParameter("page", Integer.toString(page))
                .build();
        return new Request.Builder().url(url).get().header("Accept", "application/json").build();
    }

    @Override
    public List<Scope> scopes() {
        return List.of();
    }

    @Override
    public SearchPage handle(Response response) throws IOException {
        byte[] body = Bodies.readLimited(response.body(), TagLister.MAX_LIST_BYTES, description(), "search result");
        HubSearchTemplate template;
        try {
            template = json.readValue(body, HubSearchTemplate.class);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.BAD_CONTENT, description(), "the search answer is not valid JSON");
        }
        List<SearchResult> results = template.results() == null ? List.of() : template.results().stream()
                .filter(r -> r != null && r.name() != null)
                .map(HubSearcher::toResult)
                .toList();
        int current = template.page() == null ? page : template.page();
        Optional<String> next = template.numPages() != null && current < template.numPages()
                ? Optional.of(Integer.toString(current + 1)) : Optional.empty();
        OptionalLong total = template.numResults() == null ? OptionalLong.empty() : OptionalLong.of(template.numResults());
        return new SearchPage(results, total, next);
    }

    private static SearchResult toResult(HubResultTemplate r) {
        return new SearchResult(r.name(), r.description() == null ? "" : r.description(),
                r.starCount() == null ? 0 : r.starCount(), Boolean.TRUE.equals(r.official()),
                Boolean.TRUE.equals(r.automated()));
    }
}
