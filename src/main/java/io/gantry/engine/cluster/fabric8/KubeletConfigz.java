package io.gantry.engine.cluster.fabric8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.engine.cluster.Cluster.ImageGcThresholds;
import java.io.IOException;
import java.util.Optional;

/**
 * A kubelet's {@code /configz} answer ({@code {"kubeletconfig":{…}}}), read for its image GC
 * thresholds. A threshold the answer leaves out is the kubelet's default; an answer that is no
 * such JSON (or larger than 1 MiB) reads as unknown.
 */
final class KubeletConfigz {

    private static final int MAX_CHARS = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private KubeletConfigz() {
    }

    static Optional<ImageGcThresholds> imageGc(String answer) {
        if (answer == null || answer.length() > MAX_CHARS) {
            return Optional.empty();
        }
        try {
            JsonNode config = JSON.readTree(answer).path("kubeletconfig");
            if (!config.isObject()) {
                return Optional.empty();
            }
            int high = config.path("imageGCHighThresholdPercent").asInt(ImageGcThresholds.DEFAULTS.highPercent());
            int low = config.path("imageGCLowThresholdPercent").asInt(ImageGcThresholds.DEFAULTS.lowPercent());
            return Optional.of(new ImageGcThresholds(high, low));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
