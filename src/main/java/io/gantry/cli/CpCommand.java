package io.gantry.cli;

import io.gantry.core.Cancellation;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.engine.PushResult;
import io.gantry.engine.ImageStore;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageCopier;
import io.gantry.service.ImageCopier.CopyResult;
import io.gantry.service.ImageTable;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gantry cp [--from ENDPOINT] --to ENDPOINT SOURCE [TARGET]}: an image from one endpoint into
 * another without a registry (what {@code docker save | docker load}, {@code kind load} and
 * {@code nerdctl load} do), or between an endpoint and a registry ({@code docker://REF}, skopeo's
 * word for a registry). Ctrl-C cancels; the destination keeps what it had.
 */
@Command(name = "cp", description = {"Copy an image between endpoints, or between an endpoint and a registry.",
        "SOURCE is an image of the --from endpoint (default: --endpoint, else the embedded store), or docker://REF "
                + "to pull it from a registry into --to. TARGET is the name it gets at --to (default: its own), or "
                + "docker://REF to push it to a registry. Between endpoints the image streams from one to the other "
                + "(the source's save or export piped into the destination's load; no registry), keeping its image ID; "
                + "layers the destination has are not stored again. Ctrl-C cancels; the destination keeps what it had.",
        "Between two registries (docker://A docker://B) the image or whole index goes from one to the other "
                + "with its digest unchanged, blobs mounted within a registry and streamed between registries (no "
                + "temporary copy), each blob once; --platform copies one image of an index.",
        "Examples: gantry cp --to docker-default alpine:3.20; gantry cp --to ID --to-namespace k8s.io app:1; "
                + "gantry cp --from ID app:1 --to embedded app:copy; gantry cp --to embedded docker://localhost:5000/app:1; "
                + "gantry cp app:1 docker://localhost:5000/team/app:1; "
                + "gantry cp --platform linux/arm64 docker://localhost:5000/app:1 docker://registry.example:5000/app:1"})
final class CpCommand implements Callable<Integer> {

    static final String REGISTRY = "docker://";

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "ENDPOINT",
            description = "Where the image is: an ID as 'gantry endpoints' lists it (default: --endpoint, else embedded).")
    String from;

    @Option(names = "--from-namespace", paramLabel = "NS", description = "The source's containerd namespace.")
    String fromNamespace;

    @Option(names = "--to", paramLabel = "ENDPOINT",
            description = "Where the image goes: an ID as 'gantry endpoints' lists it ('embedded' for the embedded store).")
    String to;

    @Option(names = "--to-namespace", paramLabel = "NS", description = "The destination's containerd namespace (e.g. k8s.io).")
    String toNamespace;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Between registries: copy only this image of a multi-platform index (default: the whole index).")
    String platform;

    @Option(names = {"-q", "--quiet"}, description = "Between registries: print only the copied manifest's digest.")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "An image (name, ID or ID prefix) of --from, or docker://REF.")
    String source;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET",
            description = "The name at the destination (default: the source's), or docker://REF to push to a registry.")
    String target;

    @Override
    public Integer call() {
        boolean fromRegistry = source.startsWith(REGISTRY);
        boolean toRegistry = target != null && target.startsWith(REGISTRY);
        // parse every name before anything is opened: bad input is exit 2 without touching a peer
        Optional<ImageReference> remoteSource = fromRegistry ? Optional.of(remote(source)) : Optional.empty();
        Optional<ImageReference> remoteTarget = toRegistry ? Optional.of(remote(target)) : Optional.empty();
        Optional<ImageReference> newName = target != null && !toRegistry ? Optional.of(ImageReference.parse(target))
                : Optional.empty();
        ImageKey key = fromRegistry ? null : ImageKey.parse(source);
        Optional<Platform> chosen = Optional.ofNullable(platform).map(Platform::parse);
        if (chosen.isPresent() && !(fromRegistry && toRegistry)) {
            throw usage("--platform is for a copy between registries", "Leave out --platform; an endpoint's image "
                    + "has one platform, and a pull into an endpoint chooses this machine's (gantry pull --platform).");
        }
        if (fromRegistry && toRegistry) {
            if (from != null || fromNamespace != null || to != null || toNamespace != null) {
                throw usage("--from and --to name endpoints, but both sides are registries",
                        "Leave out --from and --to for a copy between registries.");
            }
            return betweenRegistries(remoteSource.get(), remoteTarget.get(), chosen);
        }
        if (!toRegistry && to == null) {
            throw usage("no destination", "Give --to ENDPOINT (gantry endpoints lists them), or a TARGET docker://REF.");
        }
        if (toRegistry && (to != null || toNamespace != null)) {
            throw usage("--to names an endpoint, but TARGET is a registry", "Leave out --to or the docker:// TARGET.");
        }
        if (fromRegistry && (from != null || fromNamespace != null)) {
            throw usage("--from names an endpoint, but SOURCE is a registry", "Leave out --from or the docker:// SOURCE.");
        }
        PrintWriter out = spec.commandLine().getOut();
        Cancellation cancellation = parent.ctrlC();
        ImageCopier copier = new ImageCopier();
        boolean embeddedOnly = parent.endpoint == null && from == null && (to == null || to.equals("embedded"));
        try (EndpointCatalog catalog = embeddedOnly ? parent.services.openEmbedded(parent.storeDir(), OptionalInt.empty(), true)
                : parent.services.open(parent.storeDir(), OptionalInt.empty(), true)) {
            CopyResult result;
            ImageCopier.CopyProgress[] last = new ImageCopier.CopyProgress[1];
            java.util.Map<String, io.gantry.engine.PullProgress.Phase> layerPhases = new java.util.HashMap<>();
            java.util.function.Consumer<ImageCopier.CopyProgress> lines = p -> {
                // one line per layer and phase ("3f4ca61aafcd: Copied"), not one per chunk of bytes
                boolean changed = p.layer().map(l -> layerPhases.put(l.layer(), l.phase()) != l.phase())
                        .orElse(!p.text().equals("Copying"));
                if (changed) {
                    out.println(io.gantry.core.PeerText.clean(p.text()));
                    out.flush();
                }
                last[0] = p;
            };
            if (fromRegistry) {
                try (Closing dest = new Closing(catalog, parent.endpointNamed(catalog, endpointOf(to), toNamespace))) {
                    result = copier.pullInto(remoteSource.get(), dest.store, newName, lines, cancellation);
                }
            } else {
                try (Closing src = new Closing(catalog, parent.endpointNamed(catalog,
                        from != null ? endpointOf(from) : parent.endpoint, fromNamespace != null ? fromNamespace
                                : from == null ? parent.namespace : null))) {
                    if (toRegistry) {
                        result = copier.pushFrom(src.store, key, remoteTarget.get(), lines, cancellation);
                    } else {
                        try (Closing dest = new Closing(catalog, parent.endpointNamed(catalog, endpointOf(to), toNamespace))) {
                            result = copier.copy(src.store, key, dest.store, newName, lines, cancellation);
                        }
                    }
                }
            }
            String names = result.names().isEmpty() ? "" : " as " + String.join(", ", result.names());
            StringBuilder line = new StringBuilder("Copied " + result.imageId().shortHex() + names);
            if (result.streamed() > 0) {
                line.append(" (").append(ImageTable.humanSize(result.streamed())).append(" streamed");
                result.written().ifPresent(w -> line.append(", ").append(ImageTable.humanSize(w)).append(" new at the destination"));
                line.append(")");
            }
            out.println(io.gantry.core.PeerText.clean(line.toString()));
            return 0;
        }
    }

    /** Registry to registry: {@code docker push}'s lines, Ctrl-C cancels (blobs already sent stay). */
    private int betweenRegistries(ImageReference from, ImageReference into, Optional<Platform> chosen) {
        PrintWriter out = spec.commandLine().getOut();
        Cancellation cancellation = parent.ctrlC();
        boolean terminal = System.console() != null;
        PushProgressPrinter printer = new PushProgressPrinter(terminal ? TerminalSafeWriter.raw(out) : out, terminal,
                quiet);
        PushResult copied = parent.services.registryCopy().copy(from, into, chosen, printer, cancellation);
        printer.finish();
        if (quiet) {
            out.println(copied.digest());
        }
        out.flush();
        return 0;
    }

    /** {@code embedded} names the embedded store (null for {@link GantryCli#endpointNamed}). */
    private static String endpointOf(String name) {
        return name.equals("embedded") ? null : name;
    }

    private static ImageReference remote(String text) {
        return io.gantry.service.PushRows.target(text);
    }

    private static GantryException usage(String what, String action) {
        return new GantryException(ErrorKind.INVALID_INPUT, "cp", what, null, 0, action, null);
    }

    /** A store opened for this copy alone (another namespace) is closed after it; one of the catalog is not. */
    private static final class Closing implements AutoCloseable {
        private final EndpointCatalog catalog;
        private final ImageStore store;

        Closing(EndpointCatalog catalog, ImageStore store) {
            this.catalog = catalog;
            this.store = store;
        }

        @Override
        public void close() {
            boolean own = catalog.endpoints().stream().noneMatch(e -> e.id().equals(store.endpoint().id()))
                    || catalog.store(store.endpoint().id()) != store;
            if (own) {
                store.close();
            }
        }
    }
}
