package io.gantry.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where no GPU can be used the window starts on JavaFX's software pipeline at once, so Mesa's
 * software GL and libLLVM (about 50 MB resident) are never loaded for an OpenGL attempt JavaFX would
 * refuse; with a GPU's device node, or an order already given, JavaFX's own order stays. A
 * directory stands in for {@code /dev}.
 */
class RenderingPipelineTest {

    @TempDir
    Path dev;

    @Test
    void noGpuDeviceChoosesTheSoftwarePipeline() throws Exception {
        Properties properties = new Properties();
        assertEquals(Optional.of("sw"), RenderingPipeline.choose(properties, dev));
        assertEquals("sw", properties.getProperty("prism.order"));

        Files.createDirectory(dev.resolve("dri")); // an empty /dev/dri: no device either
        Properties again = new Properties();
        assertEquals(Optional.of("sw"), RenderingPipeline.choose(again, dev));
        assertEquals("sw", again.getProperty("prism.order"));
    }

    @Test
    void aDriDeviceKeepsJavaFxsOwnOrder() throws Exception {
        Files.createFile(Files.createDirectory(dev.resolve("dri")).resolve("renderD128"));
        Properties properties = new Properties();
        assertEquals(Optional.empty(), RenderingPipeline.choose(properties, dev));
        assertNull(properties.getProperty("prism.order"));
        assertTrue(RenderingPipeline.hasGpu(dev));
    }

    @Test
    void nvidiasDeviceKeepsJavaFxsOwnOrder() throws Exception {
        Files.createFile(dev.resolve("nvidiactl"));
        Properties properties = new Properties();
        assertEquals(Optional.empty(), RenderingPipeline.choose(properties, dev));
        assertNull(properties.getProperty("prism.order"));
    }

    @Test
    void anOrderAlreadyGivenIsKept() {
        Properties properties = new Properties();
        properties.setProperty("prism.order", "es2,sw");
        assertFalse(RenderingPipeline.hasGpu(dev));
        assertEquals(Optional.empty(), RenderingPipeline.choose(properties, dev));
        assertEquals("es2,sw", properties.getProperty("prism.order"));
    }
}
