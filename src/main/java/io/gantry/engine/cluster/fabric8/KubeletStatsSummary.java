package io.gantry.engine.cluster.fabric8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.engine.cluster.NodeImageFs;
import java.io.IOException;
import java.util.Optional;

/**
 * A kubelet's summary API answer ({@code /stats/summary}: {@code {"node":{"runtime":{"imageFs":{…}}}}}),
 * read for its image filesystem. An answer without one (a runtime that does not report it), that
 * is no such JSON, or that is larger than {@value #MAX_CHARS} characters reads as unknown.
 */
final class KubeletStatsSummary {

    /** The summary lists every pod and container of the node: 8 Mi characters is far beyond a full node's. */
    static final int MAX_CHARS = 8 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private KubeletStatsSummary() {
    }

    static Optional<NodeImageFs> imageFs(String answer) {
        if (answer == null || answer.length() > MAX_CHARS) {
            return Optional.empty();
        }
        try {
            JsonNode fs = JSON.readTree(answer).path("node").path("runtime").path("imageFs");
            long capacity = fs.path("capacityBytes").asLong(0);
            long available = fs.path("availableBytes").asLong(-1);
            long used = fs.path("usedBytes").asLong(0);
            if (capacity <= 0 || available < 0 || used < 0) {
                return Optional.empty();
            }
            return Optional.of(new NodeImageFs(capacity, available, used));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
