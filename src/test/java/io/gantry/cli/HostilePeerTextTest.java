package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.EngineCredentials;
import io.gantry.engine.docker.DockerEngineStore;
import io.gantry.engine.docker.EngineAddress;
import io.gantry.registry.RegistryClient;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.RegistryBrowser;
import io.gantry.store.OciLayoutStore;
import io.gantry.testing.HostileServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 6: peers' words are data. A hostile engine (a unix socket) and a hostile registry
 * (loopback), written in the test because no real peer sends escape sequences in its tags, put
 * terminal escapes, C1 controls and bidi overrides in tags, created-by lines, comments, labels,
 * repository names and search results. Before, {@code history}, {@code layers}, {@code tags} and
 * {@code search} passed them to the terminal (clearing the screen, setting the window title).
 * Every line the CLI prints must be free of control characters (line feeds aside).
 */
class HostilePeerTextTest {

    /** Clear screen, set the window title, red, a C1 CSI, a right-to-left override, a bare carriage return. */
    private static final String EVIL = "\\u001b[2J\\u001b]0;pwned\\u0007\\u001b[31m\\u009b1m\\u202eevil\\r";
    private static final String ID = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    private final List<HostileServer> servers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        for (HostileServer s : servers) {
            s.close();
        }
    }

    record Run(int code, String out, String err) {
    }

    private Run gantry(CliServices services, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("--store", dir.resolve("store").toString()), Stream.of(args))
                .toArray(String[]::new);
        int code = GantryCli.run(services, new PrintWriter(out), new PrintWriter(err), all);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertNoControls(String text) {
        assertThat(text.chars().filter(c -> c != '\n' && io.gantry.core.PeerText.isUnsafe(c)).mapToObj(Integer::toHexString)
                .toList()).as("control characters in:\n" + text).isEmpty();
    }

    private static void engine(HostileServer.Exchange x, java.io.OutputStream out) throws IOException {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        String path = x.path();
        if (path.endsWith("/version")) {
            HostileServer.respond(out, 200, json, "{\"ApiVersion\":\"1.43\",\"Version\":\"24.0.0" + EVIL + "\"}");
        } else if (path.contains("/system/df")) {
            HostileServer.respond(out, 200, json, "{\"LayersSize\":10,\"Images\":[{\"Id\":\"" + ID + "\",\"RepoTags\":[\"evil"
                    + EVIL + ":t" + EVIL + "\"],\"Created\":1700000000,\"Size\":10,\"SharedSize\":0,\"Containers\":0}]}");
        } else if (path.contains("/containers/json")) {
            HostileServer.respond(out, 200, json, "[{\"Id\":\"" + "cd".repeat(32) + "\",\"Names\":[\"/box" + EVIL
                    + "\"],\"ImageID\":\"" + ID + "\",\"Image\":\"evil" + EVIL + "\",\"State\":\"exited\",\"Status\":\"Exited"
                    + EVIL + "\",\"Created\":1700000000}]");
        } else if (path.contains("/images/json")) {
            HostileServer.respond(out, 200, json, "[{\"Id\":\"" + ID + "\",\"RepoTags\":[\"evil" + EVIL + ":t\"],"
                    + "\"Created\":1700000000,\"Size\":10,\"Labels\":{\"l\":\"" + EVIL + "\"}}]");
        } else if (path.contains("/history")) {
            HostileServer.respond(out, 200, json, "[{\"Id\":\"" + ID + "\",\"Created\":1700000000,\"CreatedBy\":\"/bin/sh -c "
                    + EVIL + "echo hi\",\"Size\":10,\"Tags\":[\"evil" + EVIL + ":t\"],\"Comment\":\"" + EVIL + "\"}]");
        } else if (path.contains("/images/") && path.endsWith("/json")) {
            HostileServer.respond(out, 200, json, "{\"Id\":\"" + ID + "\",\"RepoTags\":[\"evil" + EVIL + ":t\"],"
                    + "\"Created\":\"2024-01-01T00:00:00Z\",\"Os\":\"linux\",\"Architecture\":\"amd64\",\"Size\":10,"
                    + "\"Config\":{\"Labels\":{\"l" + EVIL + "\":\"v" + EVIL + "\"}},\"RootFS\":{\"Layers\":[\"sha256:"
                    + "cd".repeat(32) + "\"]},\"Comment\":\"" + EVIL + "\"}");
        } else {
            HostileServer.respond(out, 404, json, "{\"message\":\"no such thing " + EVIL + "\"}");
        }
    }

    @Test
    void anEnginesTagsHistoryLabelsAndContainersReachTheTerminalWithoutControlCharacters() throws Exception {
        HostileServer server = HostileServer.unix(Files.createTempDirectory("hostile-text").resolve("d.sock"),
                HostilePeerTextTest::engine);
        servers.add(server);
        EngineAddress address = new EngineAddress("hostile", server.dockerHost(), EngineAddress.Source.DOCKER_HOST,
                false, Optional.empty(), true);
        String endpoint = address.endpointId();
        CliServices services = d -> new EndpointCatalog(List.of(OciLayoutStore.open(d.orElseThrow()),
                DockerEngineStore.of(address, EngineCredentials.anonymous())));

        List<Run> runs = List.of(
                gantry(services, "--endpoint", endpoint, "images"),
                gantry(services, "--endpoint", endpoint, "history", ID),
                gantry(services, "--endpoint", endpoint, "history", "--no-trunc", ID),
                gantry(services, "--endpoint", endpoint, "layers", ID),
                gantry(services, "--endpoint", endpoint, "ps"),
                gantry(services, "--endpoint", endpoint, "version"),
                gantry(services, "--endpoint", endpoint, "inspect", "-f", "{{.Config.Labels}} {{.Comment}}", ID),
                gantry(services, "--endpoint", endpoint, "inspect", ID),
                gantry(services, "--endpoint", endpoint, "rm", "nothing:here"),
                gantry(services, "endpoints"));
        for (Run run : runs) {
            assertNoControls(run.out());
            assertNoControls(run.err());
        }
        assertThat(runs.get(0).out()).contains("evil").doesNotContain("pwned"); // the sequences go whole, the text stays
        assertThat(runs.get(1).out()).contains("echo hi");
        assertThat(runs.get(4).out()).contains("box");
    }

    @Test
    void aRegistrysTagsAndCatalogReachTheTerminalWithoutControlCharacters() throws Exception {
        HostileServer server = HostileServer.tcp((x, out) -> {
            Map<String, String> json = Map.of("Content-Type", "application/json");
            if (x.path().equals("/v2/")) {
                HostileServer.respond(out, 200, Map.of(), "{}");
            } else if (x.path().contains("/tags/list")) {
                HostileServer.respond(out, 200, json, "{\"name\":\"team/app\",\"tags\":[\"1" + EVIL + "\",\"" + EVIL + "2\"]}");
            } else if (x.path().contains("_catalog")) {
                HostileServer.respond(out, 200, json, "{\"repositories\":[\"team/app" + EVIL + "\",\"team/" + EVIL + "x\"]}");
            } else {
                HostileServer.respond(out, 404, json, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"" + EVIL + "\"}]}");
            }
        });
        servers.add(server);
        RegistryClient client = RegistryClient.builder().build();
        CliServices services = new CliServices() {
            @Override
            public EndpointCatalog open(Optional<Path> storeDir) {
                return new EndpointCatalog(List.of(OciLayoutStore.open(storeDir.orElseThrow())));
            }

            @Override
            public RegistryBrowser registries() {
                return new RegistryBrowser(client);
            }
        };

        List<Run> runs = List.of(
                gantry(services, "tags", server.hostPort() + "/team/app"),
                gantry(services, "search", "--registry", server.hostPort(), "team"),
                gantry(services, "tags", server.hostPort() + "/team/missing"));
        for (Run run : runs) {
            assertNoControls(run.out());
            assertNoControls(run.err());
        }
        assertThat(runs.get(0).out()).contains("1").contains("2");
        assertThat(runs.get(1).out()).contains("team/app");
    }
}
