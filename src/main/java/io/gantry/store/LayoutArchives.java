package io.gantry.store;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.LoadResult;
import io.gantry.store.LayoutContent.Resolution;
import io.gantry.store.LayoutContent.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The glue between the layout and {@link ArchiveWriter}/{@link ArchiveReader}: {@code docker save} and {@code load}. */
final class LayoutArchives {

    private static final Logger log = LoggerFactory.getLogger(LayoutArchives.class);

    private final OciLayoutStore store;
    private final LayoutPaths paths;
    private final StoreLocks locks;
    private final LayoutIndex index;
    private final LayoutContent content;
    private final WorkFiles work;

    LayoutArchives(OciLayoutStore store, LayoutPaths paths, StoreLocks locks, LayoutIndex index, LayoutContent content,
                   WorkFiles work) {
        this.store = store;
        this.paths = paths;
        this.locks = locks;
        this.index = index;
        this.content = content;
        this.work = work;
    }

    void save(List<String> namesOrIds, ArchiveFormat format, OutputStream out) {
        if (namesOrIds.isEmpty()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "save images", "no image given");
        }
        String op = "save " + String.join(", ", namesOrIds);
        try (StoreLocks.Held held = locks.shared(op)) {
            Resolution resolution = content.resolve(index.read(op).entries());
            Map<Digest, ArchiveWriter.Item> items = new LinkedHashMap<>();
            for (String input : namesOrIds) {
                Target target = content.find(input, resolution, op);
                ArchiveWriter.Item item = items.computeIfAbsent(target.image().id(),
                        id -> new ArchiveWriter.Item(target.image(), new ArrayList<>()));
                target.name().filter(n -> !item.names().contains(n)).ifPresent(item.names()::add);
            }
            new ArchiveWriter(store).write(List.copyOf(items.values()), format, out);
        }
    }

    LoadResult load(Path archive) {
        return new ArchiveReader(store).read(archive);
    }

    LoadResult load(InputStream archive) {
        Path spooled = null;
        try {
            spooled = Files.createTempFile(work.session(), "load-", ".tar");
            Files.copy(archive, spooled, StandardCopyOption.REPLACE_EXISTING);
            return new ArchiveReader(store).read(spooled, "the archive read from the stream");
        } catch (IOException e) {
            throw FileOps.writeFailure("load an archive from a stream", paths.tmp(), e);
        } finally {
            if (spooled != null) {
                try {
                    Files.deleteIfExists(spooled);
                } catch (IOException e) {
                    log.debug("cannot remove {}: {}", spooled, e.toString());
                }
            }
        }
    }
}
