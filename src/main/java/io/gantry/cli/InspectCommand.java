package io.gantry.cli;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.engine.ImageDetails;
import io.gantry.engine.ImageStore;
import io.gantry.engine.ImageSummary;
import io.gantry.service.DockerImageView;
import io.gantry.service.EndpointCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry inspect IMAGE...}: the images as {@code docker image inspect} prints them (a JSON
 * array; Gantry's own fields under {@code Gantry}), or {@code --format} applied to each. An image
 * not found is reported on stderr and the others are still printed, as docker does.
 */
@Command(name = "inspect", description = "Show images in full, as docker image inspect's JSON (Gantry's extra fields under \"Gantry\").")
final class InspectCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE",
            description = "Print each image through a Go-template subset: {{.Id}}, {{.Config.Env}}, {{json .Config}}, "
                    + "{{.RootFS.Layers | json}}, {{join .RepoTags \",\"}}, {{index .Config.Labels \"KEY\"}}.")
    String format;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Names or IDs.")
    List<String> images;

    @Override
    public Integer call() {
        GoTemplate template = format == null ? null : GoTemplate.parse(format);
        Set<Integer> codes = new TreeSet<>();
        int found = 0;
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.store(catalog);
            List<ImageSummary> listed = null;
            List<Map<String, Object>> views = new ArrayList<>();
            for (String image : images) {
                try {
                    ImageKey key = ImageKey.parse(image);
                    ImageDetails details = store.inspect(key);
                    if (listed == null) {
                        listed = store.listImages();
                    }
                    Optional<ImageSummary> summary = listed.stream().filter(s -> s.id().equals(details.id())).findFirst();
                    views.add(DockerImageView.of(store, details, summary, store.layers(ImageKey.of(details.id()))));
                    found++;
                } catch (GantryException e) {
                    if (e.kind() == ErrorKind.CANCELLED || e.kind() == ErrorKind.UNAVAILABLE) {
                        throw e;
                    }
                    codes.add(GantryCli.exitCode(e));
                    err.println("gantry: " + e.describe());
                    err.flush();
                }
            }
            if (template == null) {
                CliJson.print(out, views);
            } else {
                for (Map<String, Object> view : views) {
                    out.println(template.apply(view));
                }
                out.flush();
            }
        }
        return GantryCli.exitCodeOfMany(found, codes);
    }
}
