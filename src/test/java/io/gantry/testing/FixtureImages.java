package io.gantry.testing;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Where fixture images start: plain images, a runnable busybox image, layers to share between
 * unrelated images, and multi-platform indexes. Everything it makes is deterministic (fixed
 * timestamps, owners, modes, gzip headers), except {@link #unique} names, which only matter to
 * tags, never to digests.
 *
 * <pre>{@code
 * FixtureImages images = new FixtureImages();
 * FixtureImage base = images.image("base").layer("ADD base", l -> l.file("etc/os-release", "ID=fixture\n"));
 * FixtureImage app = base.child("app").layer("COPY app", l -> l.file("app/main", "v1"));
 * FixtureImage runnable = images.busybox("bb");      // Cmd /bin/busybox sleep 3600
 * }</pre>
 */
public final class FixtureImages {

    /** The {@code created} time of every fixture image and the mtime of every entry, unless changed. */
    public static final Instant DEFAULT_CREATED = Instant.parse("2024-01-01T00:00:00Z");

    private final Instant created;
    private final ToolFinder tools;

    public FixtureImages() {
        this(DEFAULT_CREATED, ToolFinder.fromEnvironment());
    }

    public FixtureImages(Instant created, ToolFinder tools) {
        this.created = created;
        this.tools = tools;
    }

    /** An image named {@code repository} (tag {@code latest}, linux/amd64, Docker format) with no layers. */
    public FixtureImage image(String repository) {
        return FixtureImage.empty(repository, created);
    }

    /**
     * A {@code FROM scratch} image that can run: {@code /bin/busybox} (the host's static busybox,
     * package busybox-static), {@code /bin/sh} linked to it, and {@code Cmd ["/bin/busybox",
     * "sleep", "3600"]}. Throws {@link MissingToolException} when no static busybox is installed.
     */
    public FixtureImage busybox(String repository) {
        java.nio.file.Path busybox = tools.requireStaticBusybox();
        return image(repository)
                .layer("COPY busybox /bin/busybox", l -> l
                        .copy(busybox, "bin/busybox", 0755)
                        .symlink("bin/sh", "busybox"))
                .cmd("/bin/busybox", "sleep", "3600");
    }

    /** A layer on its own, to add to several images that are not parent and child. */
    public Layer layer(Consumer<LayerBuilder> content) {
        LayerBuilder builder = new LayerBuilder(created);
        content.accept(builder);
        return builder.build();
    }

    /** A Docker manifest list (call {@code .oci()} for an OCI index) tagged {@code latest}. */
    public FixtureIndex index(String repository, FixtureImage... images) {
        return new FixtureIndex(repository, "latest", ManifestFormat.DOCKER, List.of(images));
    }

    /**
     * {@code prefix-<random hex>}: a repository name no other test uses, for the shared registry
     * and dockerd.
     */
    public static String unique(String prefix) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return prefix + "-" + HexFormat.of().formatHex(random);
    }
}
