package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.Endpoint;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deferred store is opened when asked for, once, and never when not: real embedded stores in temp dirs. */
class EndpointCatalogTest {

    @TempDir
    Path dir;

    @Test
    void aDeferredStoreIsListedAtOnceAndOpenedOnlyWhenAskedFor() {
        Path root = dir.resolve("store");
        AtomicInteger opened = new AtomicInteger();
        try (OciLayoutStore other = OciLayoutStore.open(dir.resolve("other"));
             EndpointCatalog catalog = EndpointCatalog.deferring(OciLayoutStore.endpointAt(root), () -> {
                 opened.incrementAndGet();
                 return OciLayoutStore.open(root);
             }, List.of())) {
            assertThat(catalog.endpoints()).extracting(Endpoint::id).containsExactly("embedded");
            assertThat(catalog.endpoints().get(0).address()).isEqualTo(root.toAbsolutePath().normalize().toString());
            assertThat(opened).hasValue(0);
            assertThat(root).doesNotExist();

            assertThat(catalog.store("embedded").endpoint()).isEqualTo(OciLayoutStore.endpointAt(root));
            assertThat(catalog.defaultStore()).isSameAs(catalog.store("embedded"));
            assertThat(opened).hasValue(1);
            assertThat(root.resolve("index.json")).exists();
            assertThat(other.endpoint().id()).isEqualTo("embedded"); // the same id: add() keeps the first
            assertThat(catalog.add(OciLayoutStore.open(dir.resolve("third")))).isFalse();
        }
    }

    @Test
    void aStoreThatIsNeverAskedForIsNeverOpenedAndAFailureToOpenIsTheCallersEachTime() throws Exception {
        Path missing = dir.resolve("no-such-store");
        AtomicInteger opened = new AtomicInteger();
        try (EndpointCatalog catalog = EndpointCatalog.deferring(OciLayoutStore.endpointAt(missing), () -> {
            opened.incrementAndGet();
            return OciLayoutStore.openExisting(missing, StoreOptions.defaults());
        }, List.of())) {
            assertThat(catalog.endpoints()).hasSize(1);
        }
        assertThat(opened).hasValue(0);

        try (EndpointCatalog catalog = EndpointCatalog.deferring(OciLayoutStore.endpointAt(missing), () -> {
            opened.incrementAndGet();
            return OciLayoutStore.openExisting(missing, StoreOptions.defaults());
        }, List.of())) {
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(catalog::defaultStore).isInstanceOfSatisfying(GantryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
            }
        }
        assertThat(opened).hasValue(2);
        assertThat(Files.exists(missing)).isFalse();
    }
}
