package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.EndpointCatalog;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import io.gantry.store.StoreOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 8: reading commands on a {@code --store} path that holds no store say so (exit 3)
 * and create nothing; pull and load may create one.
 */
class StorePathTest {

    @TempDir
    Path dir;

    /** The composition root's rule: a --store path is created only when the command asks for it. */
    static final CliServices SERVICES = new CliServices() {
        @Override
        public EndpointCatalog open(Optional<Path> storeDir) {
            return openEmbedded(storeDir, OptionalInt.empty(), true);
        }

        @Override
        public EndpointCatalog open(Optional<Path> storeDir, OptionalInt parallelDownloads, boolean createStore) {
            return openEmbedded(storeDir, parallelDownloads, createStore);
        }

        @Override
        public EndpointCatalog openEmbedded(Optional<Path> storeDir, OptionalInt parallelDownloads, boolean createStore) {
            Path root = storeDir.orElseThrow();
            return new EndpointCatalog(List.of(createStore ? OciLayoutStore.open(root)
                    : OciLayoutStore.openExisting(root, StoreOptions.defaults())));
        }
    };

    record Run(int code, String out, String err) {
    }

    static Run gantry(Path store, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = store.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = GantryCli.run(SERVICES, new PrintWriter(out), new PrintWriter(err), all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void readingCommandsOnAMissingStoreSaySoAndCreateNothing() {
        Path typo = dir.resolve("no-such-store");
        List<String[]> commands = List.of(new String[] {"images"}, new String[] {"inspect", "a:1"},
                new String[] {"verify"}, new String[] {"history", "a:1"}, new String[] {"layers", "a:1"},
                new String[] {"save", "-o", dir.resolve("x.tar").toString(), "a:1"}, new String[] {"df"},
                new String[] {"tree"}, new String[] {"rm", "a:1"}, new String[] {"tag", "a:1", "b:1"},
                new String[] {"endpoints"});
        for (String[] command : commands) {
            Run run = gantry(typo, command);
            assertThat(run.code()).as(String.join(" ", command) + ": " + run.err()).isEqualTo(GantryCli.EXIT_NOT_FOUND);
            assertThat(run.err()).as(String.join(" ", command)).contains("there is no store at " + typo)
                    .doesNotContain("Exception");
            assertThat(typo).as(String.join(" ", command)).doesNotExist();
        }
        assertThat(dir.resolve("x.tar")).doesNotExist();
    }

    @Test
    void readingCommandsWorkOnAnExistingStore() {
        Path store = dir.resolve("store");
        try (OciLayoutStore s = OciLayoutStore.open(store)) {
            StoreFixtures.store(s, StoreFixtures.image("here", 1, 2), "example.com/here:1");
        }
        Run run = gantry(store, "images");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("example.com/here");
    }
}
