package io.gantry.cli;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.engine.DeleteConflict;
import io.gantry.engine.DeleteResult;
import io.gantry.engine.ImageStore;
import io.gantry.service.DeleteMessages;
import io.gantry.service.EndpointCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry rm IMAGE...}: untag or delete, as {@code docker rmi}: every image is tried; each
 * failure prints its reason in docker's words on stderr. Exit code: {@link GantryCli#exitCodeOfMany}.
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
        Set<Integer> codes = new TreeSet<>();
        int failures = 0;
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.store(catalog);
            List<Object> results = new ArrayList<>();
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            // as docker rmi: every image is tried, each failure reported where it happens
            for (String image : images) {
                DeleteResult result;
                try {
                    result = store.delete(ImageKey.parse(image), force);
                } catch (GantryException e) {
                    if (e.kind() == ErrorKind.CANCELLED || e.kind() == ErrorKind.UNAVAILABLE) {
                        throw e; // nothing more can be done on this endpoint
                    }
                    codes.add(GantryCli.exitCode(e));
                    failures++;
                    results.add(Failure.of(image, e));
                    if (!output.json()) {
                        err.println("gantry: " + e.describe());
                        e.action().ifPresent(action -> err.println("  " + action));
                        err.flush();
                    }
                    continue;
                }
                results.add(result);
                if (result.refused()) {
                    codes.add(GantryCli.EXIT_CONFLICT);
                    failures++;
                    if (!output.json()) {
                        DeleteConflict conflict = result.conflict().orElseThrow();
                        err.println("gantry: " + DeleteMessages.describe(conflict, image));
                        if (conflict.forcible()) {
                            err.println("  Use --force to delete it anyway.");
                        }
                        err.flush();
                    }
                } else if (!output.json()) {
                    result.lines().forEach(line -> out.println(line));
                    out.flush();
                }
            }
            if (output.json()) {
                CliJson.print(out, results);
            }
        }
        return GantryCli.exitCodeOfMany(images.size() - failures, codes);
    }

    /** An image that could not be deleted for a reason other than the delete rules (JSON output). */
    record Failure(String image, String error, String kind) {
        static Failure of(String image, GantryException e) {
            return new Failure(image, e.describe(), e.kind().name());
        }
    }
}
