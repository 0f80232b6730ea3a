package io.gantry.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Chooses JavaFX's rendering pipeline before the toolkit starts, where the choice is certain.
 *
 * <p>JavaFX tries its OpenGL pipeline (ES2) first and falls back to its software one when the GL it
 * finds is not a GPU's: Mesa's software rasterizers (llvmpipe, softpipe), which are all a machine
 * without a GPU has (a VM, a remote or virtual X server such as Xvfb or VNC), are refused. The
 * attempt is not free: it loads Mesa's GL driver and with it libLLVM, which stay mapped for the
 * life of the process, about 50 MB of resident memory that the software pipeline never uses (the
 * window on 10,000 images: docs/benchmarks.md). A GPU that Mesa or NVIDIA's driver can use has a
 * device node ({@code /dev/dri/*}, {@code /dev/nvidia*}); without one the ES2 attempt can only fail, so
 * the software pipeline is chosen at once. With a device node, or when {@code prism.order} is
 * already set (by the user, or by the headless tests), nothing changes. The launcher does the same
 * for GTK's own GL probe ({@code GDK_GL=disable}, which only the environment can say).
 */
public final class RenderingPipeline {

    static final String ORDER = "prism.order";

    private RenderingPipeline() {
    }

    /** Sets {@code prism.order} to {@code sw} where no GPU can be used; call before the toolkit starts. */
    public static void chooseBeforeStartup() {
        choose(System.getProperties(), Path.of("/dev"));
    }

    /**
     * The pipeline order to set, given the system properties and the device directory; empty when
     * JavaFX's own order (ES2, then software) should stay.
     */
    static Optional<String> choose(Properties properties, Path dev) {
        if (properties.getProperty(ORDER) != null || hasGpu(dev)) {
            return Optional.empty();
        }
        properties.setProperty(ORDER, "sw");
        return Optional.of("sw");
    }

    /** A device node of a GPU driver: any entry of {@code dev/dri}, or NVIDIA's {@code dev/nvidiactl}. */
    static boolean hasGpu(Path dev) {
        if (Files.exists(dev.resolve("nvidiactl"))) {
            return true;
        }
        Path dri = dev.resolve("dri");
        if (!Files.isDirectory(dri)) {
            return false;
        }
        try (var entries = Files.list(dri)) {
            return entries.findAny().isPresent();
        } catch (java.io.IOException | SecurityException e) {
            return true; // cannot tell: leave JavaFX's own order
        }
    }
}
