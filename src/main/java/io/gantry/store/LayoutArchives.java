package io.gantry.store;

import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.LoadResult;
import io.gantry.engine.archive.ArchiveWriter;
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
            Map<Digest, LayoutImage> images = new LinkedHashMap<>();
            Map<Digest, List<ArchiveWriter.Name>> names = new LinkedHashMap<>();
            for (String input : namesOrIds) {
                Target target = content.find(input, resolution, op);
                images.putIfAbsent(target.image().id(), target.image());
                List<ArchiveWriter.Name> named = names.computeIfAbsent(target.image().id(), id -> new ArrayList<>());
                target.name().map(n -> new ArchiveWriter.Name(n.raw(), n.reference()))
                        .filter(n -> !named.contains(n)).ifPresent(named::add);
            }
            List<ArchiveWriter.Item> items = new ArrayList<>();
            images.forEach((id, image) -> items.add(new ArchiveWriter.Item(image.manifest(), image.content(),
                    names.get(id))));
            new ArchiveWriter(store::openBlob, store.session()).write(items, format, out);
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
