package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.service.EndpointCatalog;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI over an embedded store in a temp dir: output, JSON, and exit codes scripts rely on. */
class GantryCliTest {

    @TempDir
    Path dir;

    private Path storeDir;
    private StoreFixtures.Image base;
    private StoreFixtures.Image app;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void fillStore() {
        storeDir = dir.resolve("store");
        base = StoreFixtures.image("base", 1, 2);
        app = StoreFixtures.image("app", 1, 2, 3);
        try (OciLayoutStore store = OciLayoutStore.open(storeDir)) {
            StoreFixtures.store(store, base, "example.com/base:1");
            StoreFixtures.store(store, app, "example.com/app:1", "example.com/app:latest");
        }
    }

    private Run gantry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = storeDir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = GantryCli.run(d -> new EndpointCatalog(List.of(OciLayoutStore.open(d.orElseThrow()))),
                new PrintWriter(out), new PrintWriter(err), all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void imagesAsTableAndJson() throws Exception {
        Run table = gantry("images");
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("REPOSITORY", "SHARED", "UNIQUE", "example.com/app", "latest", app.id().shortHex());
        Run json = gantry("images", "--format", "json");
        JsonNode images = new ObjectMapper().readTree(json.out());
        assertThat(images).hasSize(2);
        assertThat(images.get(1).path("id").asText()).isEqualTo(app.id().toString());
        assertThat(images.get(1).path("sharedSize").asLong()).isPositive();
        assertThat(images.get(1).path("uniqueSize").asLong()).isEqualTo(app.layers().get(2).blob().length);
    }

    @Test
    void inspectHistoryAndLayers() throws Exception {
        JsonNode inspect = new ObjectMapper().readTree(gantry("inspect", "example.com/app:1").out());
        assertThat(inspect.get(0).path("Id").asText()).isEqualTo(app.id().toString());
        assertThat(inspect.get(0).path("RootFS").path("Layers")).hasSize(3);
        Run history = gantry("history", "example.com/app:1");
        assertThat(history.out()).contains("IMAGE", "CREATED BY", "/bin/sh -c add layer 2", app.id().shortHex(), "<missing>");
        assertThat(history.err()).as("the embedded store's sizes are compressed, docker's are not: say so")
                .contains("SIZE is each layer's compressed size");
        Run layers = gantry("layers", "example.com/app:1");
        assertThat(layers.code()).as(layers.err()).isZero();
        assertThat(layers.out()).contains("SHARED WITH", "example.com/base:1", "/bin/sh -c add layer 0");
        JsonNode rows = new ObjectMapper().readTree(gantry("layers", "--format", "json", "example.com/app:1").out());
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).path("sharedWith").get(0).asText()).isEqualTo("example.com/base:1");
        assertThat(rows.get(2).path("sharedWith")).isEmpty();
        assertThat(rows.get(2).path("blob").asText()).isEqualTo(app.layers().get(2).digest().toString());
        assertThat(rows.get(2).path("diffId").asText()).isEqualTo(app.layers().get(2).diffId().toString());
    }

    @Test
    void tagRmAndPruneWithTheirExitCodes() {
        assertThat(gantry("tag", "example.com/app:1", "example.com/mirror:1").code()).isZero();
        Run refused = gantry("rm", app.id().toString());
        assertThat(refused.code()).isEqualTo(GantryCli.EXIT_CONFLICT);
        assertThat(refused.err()).contains("referenced in multiple repositories", "--force");
        Run untag = gantry("rm", "example.com/app:1");
        assertThat(untag.code()).isZero();
        assertThat(untag.out()).isEqualTo("Untagged: example.com/app:1\n");
        Run delete = gantry("rm", "-f", app.id().hex().substring(0, 12));
        assertThat(delete.out()).contains("Untagged: example.com/app:latest", "Untagged: example.com/mirror:1",
                "Deleted: " + app.id(), "Deleted: " + app.layers().get(2).digest());
        Run missing = gantry("rm", "example.com/app:1");
        assertThat(missing.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(missing.err()).contains("no such image", "gantry images");
        Run bad = gantry("inspect", "UPPER:case");
        assertThat(bad.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(bad.out()).as("docker image inspect prints an empty array when nothing is found").isEqualTo("[]\n");
        Run scheme = gantry("pull", "https://localhost:5000/app:1");
        assertThat(scheme.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(scheme.err()).contains("an image name has no scheme ('https://')", "Use 'localhost:5000/app:1'.");
        Run plan = gantry("prune", "-a", "--dry-run");
        assertThat(plan.out()).contains("Would remove", "Untagged: example.com/base:1", "Would reclaim");
        assertThat(gantry("images", "-q").out().lines()).hasSize(1);
        Run prune = gantry("prune", "-a");
        assertThat(prune.out()).contains("Total reclaimed space");
        assertThat(gantry("images", "-q").out()).isEmpty();
    }

    @Test
    void saveLoadAndVerify() throws Exception {
        Path archive = dir.resolve("out.tar");
        Run save = gantry("save", "-o", archive.toString(), "example.com/app:1", "example.com/base:1");
        assertThat(save.code()).as(save.err()).isZero();
        assertThat(archive).exists();
        storeDir = dir.resolve("other");
        Run load = gantry("load", "-i", archive.toString());
        assertThat(load.out()).contains("Loaded image: example.com/app:1", "Loaded image: example.com/base:1");
        Run verify = gantry("verify");
        assertThat(verify.code()).isZero();
        assertThat(verify.out()).contains("0 problem(s)");
        Path layer = storeDir.resolve("blobs/sha256/" + app.layers().get(2).diffId().hex());
        byte[] bytes = Files.readAllBytes(layer);
        bytes[600] ^= 1;
        Files.write(layer, bytes);
        Run damaged = gantry("verify", "--format", "json");
        assertThat(damaged.code()).isEqualTo(GantryCli.EXIT_DAMAGED);
        assertThat(new ObjectMapper().readTree(damaged.out()).path("problems").get(0).path("kind").asText()).isEqualTo("DIGEST_MISMATCH");
        Run notALayout = new Run(0, "", "");
        storeDir = Files.createDirectories(dir.resolve("junk"));
        Files.writeString(storeDir.resolve("x"), "x");
        notALayout = gantry("images");
        assertThat(notALayout.code()).isEqualTo(GantryCli.EXIT_FAILURE);
        assertThat(notALayout.err()).contains("not an OCI image layout", "--store");
    }

    @Test
    void viewsOnTheEmbeddedStore() {
        Run df = gantry("df");
        assertThat(df.code()).as(df.err()).isZero();
        long onDisk;
        try (OciLayoutStore store = OciLayoutStore.open(storeDir)) {
            onDisk = store.diskUsage().orElseThrow();
        }
        long layersOnce = app.layers().stream().mapToLong(l -> l.blob().length).sum();
        assertThat(onDisk).as("the shared base layers once").isGreaterThanOrEqualTo(layersOnce)
                .isLessThan(layersOnce + base.layers().stream().mapToLong(l -> l.blob().length).sum());
        assertThat(df.out()).contains("Images       2", io.gantry.service.DiskUsage.humanSize(onDisk), "compressed");
        assertThat(gantry("ps").out().lines()).hasSize(1);
        assertThat(gantry("version").out()).contains("Client:", "Server:");
        Run tree = gantry("tree");
        assertThat(tree.out()).contains("example.com/base:1", "example.com/app:1");
        Run files = gantry("files", "example.com/app:1");
        assertThat(files.code()).as(files.err()).isZero();
        assertThat(files.out()).contains("Efficiency:", "ADDED");
    }

    @Test
    void smallTruths() {
        Run missing = gantry("load", "-i", dir.resolve("missing.tar").toString());
        assertThat(missing.code()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
        assertThat(missing.err()).contains("missing.tar", "no such file");
        for (String limit : List.of("0", "-3")) {
            Run search = gantry("search", "--limit", limit, "nginx");
            assertThat(search.code()).isEqualTo(GantryCli.EXIT_USAGE);
            assertThat(search.err()).contains("--limit must be 1 or more");
        }
        for (String bad : List.of("http://host:5000/path", "ftp://host", "host name", "/")) {
            Run search = gantry("search", "--registry", bad, "app");
            assertThat(search.code()).as(bad).isEqualTo(GantryCli.EXIT_USAGE);
            assertThat(search.err()).as(bad).contains("--registry takes HOST[:PORT]").doesNotContain("https://http");
        }
        Run upper = gantry("pull", "Bad:Tag");
        assertThat(upper.err()).contains("Use 'bad:Tag'.").doesNotContain("library/bad");
    }

    @Test
    void searchTargetsReadTheRegistryOptionAndHostPortTerms() {
        assertThat(SearchCommand.target(null, "nginx")).isEqualTo(new SearchCommand.Target(Optional.empty(), "nginx", false));
        assertThat(SearchCommand.target(null, "127.0.0.1:5000/team"))
                .isEqualTo(new SearchCommand.Target(Optional.of("127.0.0.1:5000"), "team", false));
        assertThat(SearchCommand.target(null, "registry.lan/team/app:1"))
                .isEqualTo(new SearchCommand.Target(Optional.of("registry.lan"), "team/app", false));
        assertThat(SearchCommand.target("http://registry.lan:5000/", "app"))
                .isEqualTo(new SearchCommand.Target(Optional.of("registry.lan:5000"), "app", true));
        assertThat(SearchCommand.target("HTTPS://registry.lan", "app"))
                .isEqualTo(new SearchCommand.Target(Optional.of("registry.lan"), "app", false));
        assertThat(SearchCommand.target("docker.io", "app")).isEqualTo(new SearchCommand.Target(Optional.empty(), "app", false));
    }
}
