package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 8: several first commands on a store directory that does not exist yet, all at
 * once, each open the same new store ("not an OCI image layout" in 9 of 20 rounds before).
 */
class StoreCreationRaceTest {

    private static final int ROUNDS = 25;
    private static final int OPENERS = 6;

    @TempDir
    Path dir;

    @Test
    void concurrentFirstOpensAllSucceedOnOneLayout() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(OPENERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Path root = dir.resolve("round-" + round).resolve("store");
                if (round % 2 == 1) {
                    Files.createDirectories(root); // an existing empty directory races the same way
                }
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> opens = new ArrayList<>();
                for (int i = 0; i < OPENERS; i++) {
                    opens.add(pool.submit(() -> {
                        start.await();
                        try (OciLayoutStore store = OciLayoutStore.open(root)) {
                            return store.images().size();
                        }
                    }));
                }
                start.countDown();
                for (Future<Integer> open : opens) {
                    assertThat(open.get(60, TimeUnit.SECONDS)).as("round %d", round).isZero();
                }
                assertThat(root.resolve("oci-layout")).isRegularFile();
                assertThat(root.resolve("index.json")).isRegularFile();
                try (Stream<Path> beside = Files.list(root.getParent())) {
                    assertThat(beside.map(p -> p.getFileName().toString())).as("no temp directory left")
                            .containsExactly("store");
                }
                try (OciLayoutStore store = OciLayoutStore.open(root)) {
                    assertThat(store.verify().problems()).isEmpty();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void openingAnExistingStoreOnlyNeverCreatesOne() {
        Path missing = dir.resolve("typo");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OciLayoutStore.openExisting(missing, StoreOptions.defaults()))
                .isInstanceOfSatisfying(io.gantry.core.GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(io.gantry.core.ErrorKind.NOT_FOUND);
                    assertThat(e.getMessage()).contains("there is no store at " + missing);
                });
        assertThat(missing).doesNotExist();
    }
}
