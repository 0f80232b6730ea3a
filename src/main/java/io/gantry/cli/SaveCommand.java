package io.gantry.cli;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.service.EndpointCatalog;
import io.gantry.engine.ArchiveFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gantry save IMAGE... -o FILE}: a {@code docker load}-able archive, or an OCI archive. */
@Command(name = "save", description = "Write images (sharing layers once) to a docker save archive or an OCI archive.")
final class SaveCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write (default: standard output, unless it is a terminal).")
    Path output;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", defaultValue = "docker",
            description = "docker (docker save format, default) or oci (OCI image layout tar).")
    ArchiveFormat type;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    public Integer call() throws IOException {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            var store = parent.storeThatCan(catalog, Capability.SAVE, "save");
            if (output == null) {
                if (System.console() != null) {
                    throw new GantryException(ErrorKind.INVALID_INPUT, "save", "refusing to write an archive to a terminal",
                            null, 0, "Give -o FILE or redirect standard output.", null);
                }
                store.save(images.stream().map(ImageKey::parse).toList(), type, System.out);
                System.out.flush();
                return 0;
            }
            Path target = output.toAbsolutePath();
            if (Files.isDirectory(target)) {
                throw new GantryException(ErrorKind.INVALID_INPUT, "save", "'" + output + "' is a directory",
                        null, 0, "Give a file name, e.g. -o " + output.resolve("images.tar") + ".", null);
            }
            if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
                throw new GantryException(ErrorKind.INVALID_INPUT, "save", "the directory of '" + output + "' does not exist",
                        null, 0, "Create it first, or give another -o path.", null);
            }
            Path tmp = Files.createTempFile(target.getParent(), "." + output.getFileName(), ".part");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    store.save(images.stream().map(ImageKey::parse).toList(), type, out);
                }
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return 0;
    }
}
