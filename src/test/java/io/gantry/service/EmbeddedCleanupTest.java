package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.ImageKey;
import io.gantry.engine.rules.DeleteTarget;
import io.gantry.store.OciLayoutStore;
import io.gantry.store.StoreFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delete with a preview on the embedded store, through the port alone: the run deletes what the
 * preview listed, reports no line the preview did not expect, and keeps the image the plan keeps.
 */
class EmbeddedCleanupTest {

    @Test
    void theDeleteRunsAsPreviewedAndKeepsTheSharedBase(@TempDir Path dir) {
        try (OciLayoutStore store = OciLayoutStore.open(dir)) {
            StoreFixtures.Image base = StoreFixtures.image("base", 1, 2);
            StoreFixtures.Image app = StoreFixtures.image("app", 1, 2, 3);
            StoreFixtures.store(store, base, "example.com/base:1");
            StoreFixtures.store(store, app, "example.com/app:1");
            ImageCleanup cleanup = new ImageCleanup();

            ImageCleanup.DeletePreview preview = cleanup.previewDelete(store,
                    List.of(DeleteTarget.reference("example.com/app:1")));
            assertThat(preview.plan().deletedImages()).containsExactly(app.id());
            ImageCleanup.DeleteRun run = cleanup.delete(store, preview, false);

            assertThat(run.changed()).isFalse();
            assertThat(run.unexpected()).isEmpty();
            assertThat(run.lines()).extracting(Object::toString).contains("Untagged: example.com/app:1", "Deleted: " + app.id());
            assertThat(store.listImages()).extracting(i -> i.id()).containsExactly(base.id());
            assertThat(store.inspect(ImageKey.parse("example.com/base:1")).id()).isEqualTo(base.id());
        }
    }
}
