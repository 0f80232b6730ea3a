package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.testing.Fuzz;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 9, for what an engine answers: its JSON (image listings, inspect, history,
 * containers, version, events, pull progress) mutated with a seeded generator for a bounded time;
 * reading it yields values or a {@code GantryException}, never an unchecked exception. (A hostile
 * engine's listing once threw an IllegalArgumentException for a missing image ID.)
 */
class EngineJsonFuzzTest {

    private static final long BUDGET_MS = Long.getLong("gantry.fuzz.ms", 1500);
    private static final String ID = "sha256:" + "ab".repeat(32);
    private static final List<String> SEEDS = List.of(
            "{\"Id\":\"" + ID + "\",\"ParentId\":\"\",\"RepoTags\":[\"a:b\",\"<none>:<none>\"],\"RepoDigests\":[\"a@" + ID
                    + "\"],\"Created\":1700000000,\"Size\":10,\"SharedSize\":-1,\"Containers\":2,\"Labels\":{\"a\":\"b\"}}",
            "{\"Id\":\"" + ID + "\",\"RepoTags\":[\"a:b\"],\"Parent\":\"" + ID + "\",\"Created\":\"2024-01-01T00:00:00Z\","
                    + "\"Os\":\"linux\",\"Architecture\":\"arm64\",\"Variant\":\"v8\",\"Size\":10,\"Config\":{\"Env\":[\"A=b\"],"
                    + "\"Cmd\":[\"sh\"],\"Labels\":{\"l\":\"v\"},\"ExposedPorts\":{\"80/tcp\":{}}},\"RootFS\":{\"Layers\":[\""
                    + ID + "\"]},\"GraphDriver\":{\"Name\":\"overlay2\",\"Data\":{\"UpperDir\":\"/x\"}}}",
            "{\"Id\":\"" + ID + "\",\"Created\":1700000000,\"CreatedBy\":\"/bin/sh -c x\",\"Size\":5,\"Tags\":[\"a:b\"],"
                    + "\"Comment\":\"\"}",
            "{\"Id\":\"" + "cd".repeat(32) + "\",\"Names\":[\"/web\"],\"ImageID\":\"" + ID + "\",\"Image\":\"a:b\","
                    + "\"State\":\"running\",\"Status\":\"Up 1 hour\",\"Created\":1700000000}",
            "{\"Version\":\"24.0.0\",\"ApiVersion\":\"1.43\",\"Os\":\"linux\",\"Arch\":\"amd64\",\"Components\":"
                    + "[{\"Name\":\"Engine\",\"Version\":\"24\"},{\"Name\":\"Podman Engine\",\"Version\":\"4.3\"}]}",
            "{\"Type\":\"image\",\"Action\":\"pull\",\"Actor\":{\"ID\":\"" + ID + "\",\"Attributes\":{\"name\":\"a\"}},"
                    + "\"time\":1700000000,\"timeNano\":1700000000000000000}",
            "{\"status\":\"Downloading\",\"id\":\"abc\",\"progressDetail\":{\"current\":5,\"total\":10},\"progress\":\"[=>\"}");

    @Test
    void whatAnEngineAnswersIsReadOrRefusedNeverThrownAtTheUser() {
        ObjectMapper json = new ObjectMapper();
        int rounds = Fuzz.run(BUDGET_MS, 1409L, "engine json", random -> {
            JsonNode node;
            try {
                node = json.readTree(Fuzz.mutateJson(random, SEEDS.get(random.nextInt(SEEDS.size()))));
            } catch (java.io.IOException notJson) {
                return; // the transport reports unparsable bodies itself
            }
            if (node == null) {
                return;
            }
            switch (random.nextInt(8)) {
                case 0 -> EngineJson.imageSummary(node, 0);
                case 1 -> EngineJson.imageDetails(node);
                case 2 -> EngineJson.historyEntry(node);
                case 3 -> EngineJson.container(node);
                case 4 -> EngineJson.engineInfo(node, "1.43");
                case 5 -> EngineJson.event(node);
                case 6 -> EngineJson.pullProgress(node);
                default -> {
                    EngineJson.repoTags(node);
                    EngineJson.repoDigests(node);
                    EngineJson.parent(node, "Parent");
                    EngineJson.isPodman(node);
                }
            }
        });
        assertThat(rounds).isGreaterThan(10);
    }
}
