package io.gantry.cli;

import io.gantry.core.Cancellation;
import io.gantry.core.ImageReference;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.engine.ImageStore;
import io.gantry.engine.NodeImageCache;
import io.gantry.engine.NodeImageCache.NodeImage;
import io.gantry.engine.NodePullResult;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.ImageTable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gantry --endpoint ID node}: a Kubernetes node's image cache as the kubelet sees it through
 * the CRI, with the image filesystem against the kubelet's default GC thresholds and the order in
 * which its garbage collection would remove images.
 */
@Command(name = "node", description = {"A Kubernetes node's image cache through the CRI (containerd): pinned and "
        + "in-use images, the image filesystem against the kubelet's GC thresholds (85%%/80%%), what GC removes first.",
        "gantry --endpoint ID node pull REF pre-pulls an image onto the node as the kubelet would."},
        subcommands = NodeCommand.Pull.class)
final class NodeCommand implements Callable<Integer> {

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.storeThatCan(catalog, Capability.NODE_IMAGES, "node");
            NodeImageCache cache = store.nodeImageCache();
            var out = spec.commandLine().getOut();
            List<NodeImage> order = cache.collectionOrder();
            if (output.json()) {
                CliJson.print(out, java.util.Map.of("mountpoint", cache.mountpoint(), "usedBytes", cache.usedBytes(),
                        "capacityBytes", cache.capacityBytes().isPresent() ? cache.capacityBytes().getAsLong() : -1,
                        "highThresholdPercent", NodeImageCache.HIGH_PERCENT,
                        "lowThresholdPercent", NodeImageCache.LOW_PERCENT, "bytesToFree", cache.bytesToFree(),
                        "images", cache.images(), "collectionOrder", order.stream().map(NodeImage::id).toList()));
                return 0;
            }
            String capacity = cache.capacityBytes().isPresent()
                    ? " of " + ImageTable.humanSize(cache.capacityBytes().getAsLong()) + " (" + cache.usedPercent()
                    .getAsLong() + "%)" : " (capacity unknown: the mount point is not visible here)";
            out.println("Image filesystem: " + cache.mountpoint() + ", " + ImageTable.humanSize(cache.usedBytes())
                    + " used" + capacity);
            out.println("Kubelet image GC: starts above " + NodeImageCache.HIGH_PERCENT + "%, frees down to "
                    + NodeImageCache.LOW_PERCENT + "%: " + (cache.aboveHighThreshold()
                    ? "due, would free " + ImageTable.humanSize(cache.bytesToFree()) : "not due"));
            out.println();
            Table table = new Table("IMAGE", "IMAGE ID", "SIZE", "PINNED", "IN USE BY", "GC ORDER");
            for (NodeImage image : cache.images()) {
                int rank = order.indexOf(image);
                String name = image.repoTags().isEmpty() ? (image.repoDigests().isEmpty() ? "<none>"
                        : image.repoDigests().get(0)) : String.join(", ", image.repoTags());
                String id = image.id().startsWith("sha256:") && image.id().length() >= 19 ? image.id().substring(7, 19)
                        : image.id();
                table.row(name, id, ImageTable.humanSize(image.size()), image.pinned() ? "yes" : "no",
                        image.usedBy().isEmpty() ? "-" : String.join(", ", image.usedBy()),
                        rank < 0 ? "kept" : String.valueOf(rank + 1));
            }
            table.print(out);
        }
        return 0;
    }

    /**
     * {@code gantry --endpoint ID node pull REF}: the CRI's {@code PullImage} into {@code k8s.io},
     * with the login for the image's registry from the user's Docker config. The CRI reports no
     * progress: a terminal gets a spinner with the elapsed time and the bytes seen arriving in
     * containerd's content store, other output a line every few seconds.
     */
    @Command(name = "pull", mixinStandardHelpOptions = true, description = {
            "Pull an image onto the node through the CRI (PullImage, as the kubelet pulls), into the k8s.io namespace, "
                    + "unpacked by containerd.",
            "Sends your Docker login for the image's registry (credHelpers, credsStore, auths of ~/.docker/config.json "
                    + "or DOCKER_CONFIG). The CRI reports no progress; Gantry shows the elapsed time and the bytes it "
                    + "sees arriving in containerd's content store (no total: the size is not known in advance).",
            "A plain-HTTP registry must be allowed in containerd's own configuration (registry config_path, "
                    + "hosts.toml)."})
    static final class Pull implements Callable<Integer> {

        private static final String SPINNER = "|/-\\";
        private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

        @ParentCommand
        NodeCommand node;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "REFERENCE", description = "e.g. registry.example.com/team/app:1, nginx:1.27")
        String reference;

        @Option(names = {"-q", "--quiet"}, description = "Print only the image ID the runtime answers.")
        boolean quiet;

        @Override
        public Integer call() {
            ImageReference image = ImageReference.parse(reference); // a malformed name needs no endpoint
            boolean terminal = System.console() != null;
            // the spinner's carriage return and erase-line pass the terminal filter only on its raw writer
            var out = terminal ? TerminalSafeWriter.raw(spec.commandLine().getOut()) : spec.commandLine().getOut();
            Cancellation cancellation = node.parent.ctrlC();
            try (EndpointCatalog catalog = node.parent.openCatalog()) {
                ImageStore store = node.parent.storeThatCan(catalog, Capability.NODE_IMAGES, "node pull");
                long[] lastLine = {System.nanoTime()};
                int[] turn = {0};
                NodePullResult result = store.pullToNode(image, p -> {
                    if (quiet) {
                        return;
                    }
                    String line = "pulling " + image.familiar() + " onto the node (CRI): " + elapsed(p.elapsed())
                            + " elapsed, " + ImageTable.humanSize(p.bytesSeen()) + " seen arriving in the content store"
                            + (p.active() > 0 ? ", " + p.active() + " download" + (p.active() == 1 ? "" : "s")
                            + " in progress" : "");
                    if (terminal) {
                        out.print("\r" + SPINNER.charAt(turn[0]++ % SPINNER.length()) + " " + line + "\u001b[K");
                        out.flush();
                    } else if (System.nanoTime() - lastLine[0] >= PLAIN_EVERY_NANOS) {
                        lastLine[0] = System.nanoTime();
                        out.println(line);
                        out.flush();
                    }
                }, cancellation);
                if (terminal && !quiet) {
                    out.print("\r\u001b[K");
                }
                if (quiet) {
                    out.println(io.gantry.core.PeerText.clean(result.imageRef()));
                } else {
                    out.println("Pulled " + image.familiar() + " onto the node in " + elapsed(result.elapsed())
                            + (result.bytesSeen() > 0 ? " (" + ImageTable.humanSize(result.bytesSeen())
                            + " seen arriving)" : " (no download seen: the blobs were there or arrived between looks)"));
                    out.println("Image: " + io.gantry.core.PeerText.clean(result.imageRef()));
                }
                return 0;
            }
        }

        private static String elapsed(Duration d) {
            long s = d.toSeconds();
            return s < 60 ? d.toMillis() / 100 / 10.0 + " s" : s / 60 + ":" + String.format("%02d", s % 60);
        }
    }
}
