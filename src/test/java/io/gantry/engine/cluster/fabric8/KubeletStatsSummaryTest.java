package io.gantry.engine.cluster.fabric8;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.engine.cluster.NodeImageFs;
import org.junit.jupiter.api.Test;

/** A kubelet's summary API answer, read for its image filesystem only. */
class KubeletStatsSummaryTest {

    @Test
    void theImageFilesystemOfTheNodesRuntime() {
        String answer = "{\"node\":{\"nodeName\":\"worker-1\",\"fs\":{\"capacityBytes\":9},\"runtime\":{\"imageFs\":"
                + "{\"time\":\"2026-12-07T00:00:00Z\",\"availableBytes\":30,\"capacityBytes\":100,\"usedBytes\":55,"
                + "\"inodesFree\":1}}},\"pods\":[{\"podRef\":{\"name\":\"web\"}}]}";
        assertThat(KubeletStatsSummary.imageFs(answer)).contains(new NodeImageFs(100, 30, 55));
    }

    @Test
    void anAnswerWithoutOneOrNoSuchJsonIsUnknown() {
        assertThat(KubeletStatsSummary.imageFs("{\"node\":{\"runtime\":{}}}")).isEmpty();
        assertThat(KubeletStatsSummary.imageFs("{\"node\":{\"runtime\":{\"imageFs\":{\"capacityBytes\":0,"
                + "\"availableBytes\":0}}}}")).isEmpty();
        assertThat(KubeletStatsSummary.imageFs("<html>bad gateway</html>")).isEmpty();
        assertThat(KubeletStatsSummary.imageFs(null)).isEmpty();
        assertThat(KubeletStatsSummary.imageFs("{\"pad\":\"" + "x".repeat(KubeletStatsSummary.MAX_CHARS) + "\"}"))
                .as("larger than the cap").isEmpty();
    }
}
