package io.gantry.cli;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.PeerText;
import io.gantry.engine.ManifestList;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import io.gantry.service.ManifestDrafts;
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
@Command(name = "manifest", description = {"Manifest lists: the endpoint's (podman manifest create), remote manifests, and multi-arch "
        + "lists drafted here and pushed (create, add, remove, annotate, push, rm), as docker manifest.",
        "A draft's images are registry references or images of the embedded store; push sends the local ones first "
                + "(by digest, into the list's repository) and mounts or copies the others there."},
        subcommands = {ManifestCommand.Ls.class, ManifestCommand.Inspect.class, ManifestCommand.Create.class,
                ManifestCommand.Add.class, ManifestCommand.Remove.class, ManifestCommand.Annotate.class,
                ManifestCommand.Push.class, ManifestCommand.Rm.class})
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
            description = {"List the endpoint's manifest lists: names, ID, and the platform of each manifest.",
                    "The drafts (gantry manifest create, or the window's Combine) follow, marked (draft); a draft stays after a push "
                            + "until gantry manifest rm or push --purge."})
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
                List<ManifestDrafts.Draft> drafts = drafts(cli).map(ManifestDrafts::all).orElse(List.of());
                var out = spec.commandLine().getOut();
                if (output.json()) {
                    List<Object> all = new java.util.ArrayList<>(lists);
                    drafts.forEach(d -> all.add(draftJson(d)));
                    CliJson.print(out, all);
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
                for (ManifestDrafts.Draft draft : drafts) { // a local draft: no list ID, no creation time
                    table.row(PeerText.clean(draft.name().familiar()), "(draft)", draft.entries().size(),
                            draft.entries().isEmpty() ? "-" : String.join(",",
                                    draft.entries().stream().map(e -> e.platform().toString()).toList()), "-");
                }
                table.print(out);
            }
            return GantryCli.EXIT_OK;
        }

        /** A draft in {@code --format json}: its name, {@code "draft": true} and its entries. */
        private static Map<String, Object> draftJson(ManifestDrafts.Draft draft) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("names", List.of(draft.name().familiar()));
            json.put("draft", true);
            List<Map<String, Object>> entries = new java.util.ArrayList<>();
            for (ManifestDrafts.Entry e : draft.entries()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("source", e.source());
                entry.put("local", e.local());
                entry.put("digest", e.digest().toString());
                entry.put("mediaType", e.mediaType());
                entry.put("size", e.size());
                entry.put("platform", e.platform().toString());
                entries.add(entry);
            }
            json.put("entries", entries);
            return json;
        }
    }

    /**
     * {@code gantry manifest inspect NAME}: a manifest list the endpoint keeps, as {@code docker
     * manifest inspect} prints one; else NAME is a registry reference, read without pulling.
     */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Print a manifest list the endpoint keeps, or what a registry holds under a reference, without pulling.",
                    "NAME is looked up first among the endpoint's local manifest lists (gantry manifest ls), then among the "
                            + "lists drafted with gantry manifest create (printed as push would send them); when none has that "
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
                Optional<ManifestDrafts> drafts = drafts(cli);
                Optional<ManifestDrafts.Draft> draft = drafts.flatMap(d -> d.find(reference));
                if (draft.isPresent()) {
                    out.println(new String(drafts.get().render(draft.get(), ManifestDrafts.Format.DOCKER),
                            java.nio.charset.StandardCharsets.UTF_8));
                    return GantryCli.EXIT_OK;
                }
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
                    io.gantry.service.LocalLayers have = io.gantry.service.LocalLayers.of(store, reference,
                            cli.services.registries(), new io.gantry.core.Cancellation());
                    RemoteManifestPrinter.summary(out, image, store.endpoint().name(), have);
                } else if (verbose) {
                    RemoteManifestPrinter.verbose(out, image);
                } else {
                    RemoteManifestPrinter.raw(out, image);
                }
            }
            return GantryCli.EXIT_OK;
        }
    }

    /** The drafts, where this composition keeps them. */
    static Optional<ManifestDrafts> drafts(GantryCli cli) {
        try {
            return Optional.of(cli.services.manifestDrafts());
        } catch (GantryException e) {
            return Optional.empty();
        }
    }

    /** {@code gantry manifest create [--amend] LIST IMAGE...}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Draft a multi-arch list LIST of images, as docker manifest create.",
                    "Each IMAGE is an image of the embedded store (pushed with the list) or a registry reference (read, not pulled); "
                            + "its platform comes from its config (change it with annotate)."})
    static final class Create implements Callable<Integer> {
        @ParentCommand
        ManifestCommand manifest;
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Option(names = {"-a", "--amend"}, description = "Add to the draft when it exists already.")
        boolean amend;
        @Parameters(index = "0", paramLabel = "LIST", description = "The list's name, e.g. localhost:5000/app:1.0.")
        String list;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "Per-platform images.")
        List<String> images;

        @Override
        public Integer call() {
            GantryCli cli = manifest.parent;
            io.gantry.core.ImageReference name = io.gantry.core.ImageReference.parse(list);
            try (EndpointCatalog catalog = cli.openCatalog()) {
                ManifestDrafts.Draft draft = cli.services.manifestDrafts().create(name, images, amend, cli.store(catalog),
                        new io.gantry.core.Cancellation());
                spec.commandLine().getOut().println("Created manifest list " + draft.name().familiar() + " ("
                        + draft.entries().size() + " images)");
            }
            return GantryCli.EXIT_OK;
        }
    }

    /** {@code gantry manifest add LIST IMAGE...}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add images to a drafted list (as podman manifest add).")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        ManifestCommand manifest;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "LIST")
        String list;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE")
        List<String> images;

        @Override
        public Integer call() {
            GantryCli cli = manifest.parent;
            io.gantry.core.ImageReference name = io.gantry.core.ImageReference.parse(list);
            try (EndpointCatalog catalog = cli.openCatalog()) {
                ManifestDrafts.Draft draft = cli.services.manifestDrafts().add(name, images, cli.store(catalog),
                        new io.gantry.core.Cancellation());
                spec.commandLine().getOut().println(draft.name().familiar() + ": " + draft.entries().size() + " images");
            }
            return GantryCli.EXIT_OK;
        }
    }

    /** {@code gantry manifest remove LIST IMAGE}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove an image (as added, or by its manifest digest) from a drafted list.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        ManifestCommand manifest;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "LIST")
        String list;
        @Parameters(index = "1", paramLabel = "IMAGE")
        String image;

        @Override
        public Integer call() {
            ManifestDrafts.Draft draft = manifest.parent.services.manifestDrafts()
                    .remove(io.gantry.core.ImageReference.parse(list), image);
            spec.commandLine().getOut().println(draft.name().familiar() + ": " + draft.entries().size() + " images");
            return GantryCli.EXIT_OK;
        }
    }

    /** {@code gantry manifest annotate LIST IMAGE --os --arch --variant --os-version --os-features}. */
    @Command(name = "annotate", mixinStandardHelpOptions = true,
            description = "Change the platform a drafted list names for one of its images, as docker manifest annotate.")
    static final class Annotate implements Callable<Integer> {
        @ParentCommand
        ManifestCommand manifest;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "LIST")
        String list;
        @Parameters(index = "1", paramLabel = "IMAGE", description = "The image as it was added, or its manifest digest.")
        String image;
        @picocli.CommandLine.Option(names = "--os")
        String os;
        @picocli.CommandLine.Option(names = "--arch")
        String arch;
        @picocli.CommandLine.Option(names = "--variant")
        String variant;
        @picocli.CommandLine.Option(names = "--os-version")
        String osVersion;
        @picocli.CommandLine.Option(names = "--os-features", split = ",")
        List<String> osFeatures;

        @Override
        public Integer call() {
            manifest.parent.services.manifestDrafts().annotate(io.gantry.core.ImageReference.parse(list), image,
                    Optional.ofNullable(os), Optional.ofNullable(arch), Optional.ofNullable(variant), Optional.ofNullable(osVersion),
                    osFeatures == null ? List.of() : osFeatures);
            return GantryCli.EXIT_OK;
        }
    }

    /** {@code gantry manifest push [--format docker|oci] [--purge] LIST}. */
    @Command(name = "push", mixinStandardHelpOptions = true,
            description = {"Push a drafted list, as docker manifest push: its local images first (by digest, into the "
                    + "list's repository), registry images mounted or copied there, then the list under its tag."})
    static final class Push implements Callable<Integer> {
        @ParentCommand
        ManifestCommand manifest;
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Option(names = "--format", paramLabel = "docker|oci",
                description = "A Docker manifest list (default) or an OCI image index.")
        ManifestDrafts.Format format = ManifestDrafts.Format.DOCKER;
        @picocli.CommandLine.Option(names = {"-p", "--purge"}, description = "Delete the draft once pushed.")
        boolean purge;
        @Parameters(paramLabel = "LIST")
        String list;

        @Override
        public Integer call() {
            GantryCli cli = manifest.parent;
            io.gantry.core.ImageReference name = io.gantry.core.ImageReference.parse(list);
            var out = spec.commandLine().getOut();
            try (EndpointCatalog catalog = cli.openCatalog()) {
                PushProgressPrinter printer = new PushProgressPrinter(out, false, false);
                ManifestDrafts drafts = cli.services.manifestDrafts();
                drafts.push(name, format, cli.store(catalog), printer, new io.gantry.core.Cancellation());
                printer.finish();
                if (purge) {
                    drafts.delete(name);
                }
            }
            return GantryCli.EXIT_OK;
        }
    }

    /** {@code gantry manifest rm LIST}. */
    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete a drafted list (not anything in a registry).")
    static final class Rm implements Callable<Integer> {
        @ParentCommand
        ManifestCommand manifest;
        @Parameters(paramLabel = "LIST")
        String list;

        @Override
        public Integer call() {
            manifest.parent.services.manifestDrafts().delete(io.gantry.core.ImageReference.parse(list));
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
