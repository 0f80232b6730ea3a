package io.gantry.cli;

import io.gantry.core.ImageKey;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.ImageStore;
import io.gantry.service.EndpointCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry rm IMAGE...}: untag or delete, as {@code docker rmi}. A refusal prints the reason
 * and exits 4 ({@link GantryCli#EXIT_CONFLICT}); the other images are still tried.
 */
@Command(name = "rm", aliases = "rmi", description = "Untag or delete images; removing the last name deletes the image and its unshared layers.")
final class RmCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Option(names = {"-f", "--force"}, description = "Overrule soft conflicts (several repositories, a stopped container).")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    public Integer call() {
        int code = 0;
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.store(catalog);
            List<DeleteResult> results = new ArrayList<>();
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            for (String image : images) {
                DeleteResult result = store.delete(ImageKey.parse(image), force);
                results.add(result);
                if (result.refused()) {
                    code = GantryCli.EXIT_CONFLICT;
                    if (!output.json()) {
                        DeleteConflict conflict = result.conflict().orElseThrow();
                        err.println("gantry: cannot delete " + image + ": " + describe(conflict));
                        if (conflict.forcible()) {
                            err.println("  Use --force to delete it anyway.");
                        }
                    }
                } else if (!output.json()) {
                    result.lines().forEach(line -> out.println(line));
                }
            }
            if (output.json()) {
                CliJson.print(out, results);
            }
        }
        return code;
    }

    static String describe(DeleteConflict conflict) {
        return switch (conflict.kind()) {
            case MULTIPLE_REFERENCES -> "it is referenced in multiple repositories (" + String.join(", ", conflict.references()) + ")";
            case DEPENDENT_CHILDREN -> "other images are built on it (" + conflict.children().size() + ")";
            case RUNNING_CONTAINER -> "a running container uses it";
            case STOPPED_CONTAINER -> "a stopped container uses it";
            case REFERENCE_IN_USE -> "a container uses it and this is its last name";
            case UNKNOWN -> conflict.engineMessage();
        };
    }
}
