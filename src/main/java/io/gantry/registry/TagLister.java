package io.gantry.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.Repository;
import io.gantry.registry.WireTemplates.TagListTemplate;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code GET /v2/<name>/tags/list?n=<pageSize>}: one page of a repository's tags; the
 * {@code Link: <…>; rel="next"} header becomes the page's cursor.
 */
final class TagLister implements RegistryEndpoint<Page<String>> {

    static final long MAX_LIST_BYTES = 16 * 1024 * 1024;

    private final Repository repository;
    private final int pageSize;
    private final Optional<String> cursor;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * @param pageSize the page size to ask for (0 = the registry's default)
     * @param cursor   a {@link Page#next()} from the previous page, or empty for the first
     */
    TagLister(Repository repository, int pageSize, Optional<String> cursor) {
        this.repository = repository;
        this.pageSize = pageSize;
        this.cursor = cursor;
    }

    @Override
    public String description() {
        return "list tags of " + repository;
    }

    @Override
    public Request request(HttpUrl base) {
        HttpUrl url;
        if (cursor.isPresent()) {
            url = Urls.resolveCursor(base, cursor.get(), description());
        } else {
            HttpUrl.Builder builder = Urls.repositoryUrl(base, repository, "tags/list");
            if (pageSize > 0) {
                builder.addQueryParameter("n", Integer.toString(pageSize));
            }
            url = builder.build();
        }
        return new Request.Builder().url(url).get().header("Accept", "application/json").build();
    }

    @Override
    public List<Scope> scopes() {
        return List.of(Scope.pull(repository));
    }

    @Override
    public Page<String> handle(Response response) throws IOException {
        byte[] body = Bodies.readLimited(response.body(), MAX_LIST_BYTES, description(), "tag list");
        TagListTemplate template;
        try {
            template = json.readValue(body, TagListTemplate.class);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.BAD_CONTENT, description(), "the tag list is not valid JSON");
        }
        List<String> tags = template == null || template.tags() == null ? List.of()
                : template.tags().stream().filter(t -> t != null).toList();
        return new Page<>(tags, Urls.nextLink(response));
    }
}
