package io.gantry.cli;

import io.gantry.core.GantryException;
import io.gantry.engine.ContainerRef;
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

    @Option(names = {"-f", "--force"}, description = "Overrule soft conflicts (several repositories, a stopped container). "
            + "On Podman a forced delete also removes the stopped containers using the image (each is printed); "
            + "a running container or child images still refuse it.")
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
                List<ContainerRef> using = force ? containersUsing(store, image) : List.of();
                DeleteResult result = store.delete(image, force);
                results.add(result);
                if (!result.refused() && !using.isEmpty() && !output.json()) {
                    // Podman's forced delete removes them; say which went, from the engine's state.
                    List<String> left = store.containers().stream().map(ContainerRef::id).toList();
                    using.stream().filter(c -> !left.contains(c.id()))
                            .forEach(c -> out.println("Removed container: " + c.name() + " (" + shortId(c.id()) + ")"));
                }
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

    /** The containers using the image, or none when it cannot be found (the delete then says so). */
    private static List<ContainerRef> containersUsing(ImageStore store, String image) {
        try {
            return store.containersUsing(store.inspect(image).id());
        } catch (GantryException e) {
            return List.of();
        }
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
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
