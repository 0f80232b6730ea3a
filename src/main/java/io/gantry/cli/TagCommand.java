package io.gantry.cli;

import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.service.EndpointCatalog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gantry tag SOURCE TARGET}: another name for an image, as {@code docker tag}. */
@Command(name = "tag", description = "Give an image another name, as docker tag.")
final class TagCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Name or ID of the image.")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "The new name, repository[:tag].")
    String target;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            parent.storeThatCan(catalog, Capability.TAG, "tag").tag(ImageKey.parse(source), ImageReference.parse(target));
        }
        return 0;
    }
}
