package io.gantry.registry;

import static io.gantry.registry.TestSupport.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Optional;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Docker Hub search. Docker Hub is unreachable from the test machines, so these tests run against
 * a local stand-in: mockwebserver serving {@code /v1/search} answers shaped like Docker Hub's
 * ({@code num_pages}, {@code num_results}, {@code page}, {@code results[]} with {@code name},
 * {@code description}, {@code star_count}, {@code is_official}, {@code is_automated}). The client
 * is pointed at it through {@link RegistryClient.Builder#hubSearchUrl(String)}.
 */
class HubSearchTest {

    private MockRegistry hub;
    private RegistryClient client;

    @BeforeEach
    void start() throws IOException {
        hub = new MockRegistry();
        client = RegistryClient.builder().hubSearchUrl(hub.url("/")).sleeper(new TestSupport.RecordingSleeper()).build();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void searchesAndPages() {
        hub.on("GET", "/v1/search", request -> {
            String page = request.getUrl().queryParameter("page");
            String body = "1".equals(page) ? """
                    {"num_pages":2,"num_results":3,"page_size":2,"page":1,"query":"nginx","results":[
                     {"name":"nginx","description":"Official build of Nginx.","star_count":20000,"is_official":true,"is_automated":false},
                     {"name":"bitnami/nginx","description":"Bitnami nginx","star_count":190,"is_official":false,"is_automated":true}]}
                    """ : """
                    {"num_pages":2,"num_results":3,"page_size":2,"page":2,"query":"nginx","results":[
                     {"name":"someone/nginx-proxy","description":null,"star_count":3}]}
                    """;
            return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
        });

        SearchPage first = client.searchHub("nginx", 2, Optional.empty(), NONE);
        SearchPage second = client.search("docker.io", "nginx", 2, first.next(), NONE);

        assertThat(first.results()).containsExactly(
                new SearchResult("nginx", "Official build of Nginx.", 20000, true, false),
                new SearchResult("bitnami/nginx", "Bitnami nginx", 190, false, true));
        assertThat(first.totalResults()).hasValue(3);
        assertThat(first.next()).contains("2");
        assertThat(second.results()).containsExactly(new SearchResult("someone/nginx-proxy", "", 3, false, false));
        assertThat(second.hasNext()).isFalse();
        var url = hub.requests("GET", "/v1/search").get(0).getUrl();
        assertThat(url.queryParameter("q")).isEqualTo("nginx");
        assertThat(url.queryParameter("n")).isEqualTo("2");
        assertThat(url.queryParameter("page")).isEqualTo("1");
        assertThat(hub.requests("GET", "/v2/")).isEmpty();
    }
}
