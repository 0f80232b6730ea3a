package io.gantry.cli;

import io.gantry.core.Cancellation;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry tags REPOSITORY}: the tags a registry has for a repository. */
@Command(name = "tags", description = "List a repository's tags in its registry.")
final class TagsCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Parameters(paramLabel = "REPOSITORY", description = "e.g. ubuntu, localhost:5000/team/app")
    String repository;

    @Override
    public Integer call() {
        List<String> tags = parent.services.registries().tags(repository, new Cancellation());
        var out = spec.commandLine().getOut();
        if (output.json()) {
            CliJson.print(out, tags);
        } else {
            tags.forEach(tag -> out.println(io.gantry.core.PeerText.clean(tag)));
        }
        return 0;
    }
}
