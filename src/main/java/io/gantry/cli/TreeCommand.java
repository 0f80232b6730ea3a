package io.gantry.cli;

import io.gantry.service.EndpointCatalog;
import io.gantry.service.LayerRows;
import io.gantry.service.analysis.FamilyTree;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry tree}: every image by shared layer chains, like {@code dockviz images -t}. */
@Command(name = "tree", description = "Show the images' family tree: shared layer chains (by chain ID), like dockviz images -t.")
final class TreeCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            FamilyTree tree = FamilyTree.of(LayerRows.allImages(parent.store(catalog)));
            var out = spec.commandLine().getOut();
            out.print(tree.render());
            out.flush();
        }
        return 0;
    }
}
