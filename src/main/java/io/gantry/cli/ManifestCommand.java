package io.gantry.cli;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.PeerText;
import io.gantry.engine.ManifestList;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import io.gantry.service.RemoteImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry manifest ls} and {@code gantry manifest inspect NAME}: the manifest lists an
 * endpoint keeps locally (Podman's {@code podman manifest create/add}), which {@code images} does
 * not show, as Docker's listing does not.
 */
@Command(name = "manifest", description = "Manifest lists an endpoint keeps (podman manifest create) and remote manifests: ls, inspect.",
        subcommands = {ManifestCommand.Ls.class, ManifestCommand.Inspect.class})
final class ManifestCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return GantryCli.EXIT_OK;
    }

    /** {@code gantry manifest ls}. */
    @Command(name = "ls", mixinStandardHelpOptions = true,
            description = "List the endpoint's manifest lists: names, ID, and the platform of each manifest.")
    static final class Ls implements Callable<Integer> {

        @ParentCommand
        ManifestCommand manifest;

        @Spec
        CommandSpec spec;

        @Mixin
        OutputFormat output;

        @Override
        public Integer call() {
            GantryCli cli = manifest.parent;
            try (EndpointCatalog catalog = cli.openCatalog()) {
                List<ManifestList> lists = cli.store(catalog).manifestLists();
                var out = spec.commandLine().getOut();
                if (output.json()) {
                    CliJson.print(out, lists);
                    return GantryCli.EXIT_OK;
                }
                Table table = new Table("NAME", "LIST ID", "MANIFESTS", "PLATFORMS", "CREATED");
                Instant now = Instant.now();
                for (ManifestList list : lists) {
                    List<String> names = list.names().isEmpty() ? List.of("<none>") : list.names();
                    for (String name : names) {
                        table.row(PeerText.clean(name), list.id().shortHex(), list.entries().size(), platforms(list),
                                ImageTable.ago(list.created(), now));
                    }
                }
                table.print(out);
            }
            return GantryCli.EXIT_OK;
        }
    }

    /**
     * {@code gantry manifest inspect NAME}: a manifest list the endpoint keeps, as {@code docker
     * manifest inspect} prints one; else NAME is a registry reference, read without pulling.
     */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Print a manifest list the endpoint keeps, or what a registry holds under a reference, without pulling.",
                    "NAME is looked up first among the endpoint's local manifest lists (gantry manifest ls); when none has that "
                            + "name, it is a registry reference and its manifest or index is fetched from the registry: printed "
                            + "as the registry sent it (the bytes skopeo inspect --raw prints), with --verbose as docker manifest "
                            + "inspect --verbose prints it, with --summary as a readable summary."})
    static final class Inspect implements Callable<Integer> {

        @ParentCommand
        ManifestCommand manifest;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "A local list's name (localhost/app:1, app:1) or ID prefix, or a "
                + "registry reference (localhost:5000/app:1, alpine@sha256:…).")
        String name;

        @picocli.CommandLine.Option(names = {"-v", "--verbose"},
                description = "For a registry reference: each platform's manifest, config and compressed size, as JSON.")
        boolean verbose;

        @picocli.CommandLine.Option(names = {"-s", "--summary"},
                description = "For a registry reference: platforms, digests, sizes, entrypoint, env, labels, and the layers, "
                        + "marked local where the endpoint already has them.")
        boolean summary;

        @Override
        public Integer call() {
            GantryCli cli = manifest.parent;
            var out = spec.commandLine().getOut();
            try (EndpointCatalog catalog = cli.openCatalog()) {
                var store = cli.store(catalog);
                Optional<ManifestList> local = find(store.manifestLists(), name);
                if (local.isPresent()) {
                    CliJson.print(out, asDocker(local.get()));
                    return GantryCli.EXIT_OK;
                }
                io.gantry.core.ImageReference reference = io.gantry.core.ImageReference.parse(name);
                RemoteImage image;
                try {
                    image = cli.services.registries().inspect(reference, new io.gantry.core.Cancellation());
                } catch (GantryException e) {
                    if (e.kind() != ErrorKind.NOT_FOUND) {
                        throw e;
                    }
                    throw new GantryException(ErrorKind.NOT_FOUND, "manifest inspect " + name,
                            "no manifest list named '" + name + "' on " + store.endpoint().name() + ", and "
                                    + reference.registry() + " has no " + reference.familiar(), e.code().orElse(null), 0,
                            "gantry manifest ls lists the endpoint's manifest lists; gantry tags REPOSITORY lists a repository's tags.", e);
                }
                if (summary) {
                    java.util.Set<io.gantry.core.Digest> diffIds = new java.util.HashSet<>();
                    java.util.Set<io.gantry.core.Digest> blobs = new java.util.HashSet<>();
                    boolean known = true;
                    try {
                        for (var localImage : store.localImages()) {
                            for (var layer : localImage.layers()) {
                                diffIds.add(layer.diffId());
                                layer.blob().ifPresent(blobs::add);
                            }
                        }
                    } catch (GantryException e) {
                        known = false; // the endpoint cannot say now; the summary stands without it
                    }
                    RemoteManifestPrinter.summary(out, image, store.endpoint().name(), diffIds, blobs, known);
                } else if (verbose) {
                    RemoteManifestPrinter.verbose(out, image);
                } else {
                    RemoteManifestPrinter.raw(out, image);
                }
            }
            return GantryCli.EXIT_OK;
        }
    }

    /** The list named {@code name}: by a name, the name with {@code :latest} or Podman's {@code localhost/}, or an ID prefix. */
    static Optional<ManifestList> find(List<ManifestList> lists, String name) {
        List<String> wanted = new ArrayList<>(List.of(name));
        if (name.indexOf(':', name.lastIndexOf('/') + 1) < 0) {
            wanted.add(name + ":latest");
        }
        for (String w : List.copyOf(wanted)) {
            wanted.add("localhost/" + w);
        }
        for (ManifestList list : lists) {
            if (list.names().stream().anyMatch(wanted::contains)) {
                return Optional.of(list);
            }
        }
        String hex = name.toLowerCase(Locale.ROOT).startsWith("sha256:") ? name.substring(7) : name;
        if (hex.length() >= 4 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            List<ManifestList> byId = lists.stream().filter(l -> l.id().hex().startsWith(hex)).toList();
            if (byId.size() == 1) {
                return Optional.of(byId.get(0));
            }
        }
        return Optional.empty();
    }

    private static String platforms(ManifestList list) {
        List<String> platforms = list.entries().stream()
                .map(e -> e.platform().map(Object::toString).orElse("?")).toList();
        return platforms.isEmpty() ? "-" : String.join(",", platforms);
    }

    /** The list in the image index's JSON form, the way {@code docker manifest inspect} prints it. */
    private static Map<String, Object> asDocker(ManifestList list) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemaVersion", 2);
        json.put("mediaType", list.mediaType());
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (ManifestList.Entry entry : list.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mediaType", entry.mediaType());
            m.put("size", entry.size());
            m.put("digest", entry.digest());
            entry.platform().ifPresent(p -> {
                Map<String, Object> platform = new LinkedHashMap<>();
                platform.put("architecture", p.architecture());
                platform.put("os", p.os());
                p.osVersion().ifPresent(v -> platform.put("os.version", v));
                p.variant().ifPresent(v -> platform.put("variant", v));
                m.put("platform", platform);
            });
            manifests.add(m);
        }
        json.put("manifests", manifests);
        return json;
    }
}
