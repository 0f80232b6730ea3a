package io.gantry.cli;

import io.gantry.core.ImageKey;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageStore;
import io.gantry.service.EndpointCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry inspect IMAGE...}: the images in full, as a JSON array (like {@code docker image inspect}). */
@Command(name = "inspect", description = "Show images in full, as JSON.")
final class InspectCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Names or IDs.")
    List<String> images;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.store(catalog);
            List<ImageDetails> details = new ArrayList<>();
            for (String image : images) {
                details.add(store.inspect(ImageKey.parse(image)));
            }
            CliJson.print(spec.commandLine().getOut(), details);
        }
        return 0;
    }
}
