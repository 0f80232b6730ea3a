package io.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.PullProgress;
import io.gantry.engine.PushProgress;
import io.gantry.engine.PushProgress.Phase;
import org.junit.jupiter.api.Test;

/** A push's events as rows of the copy card and of {@code gantry cp}, and the registry target a user types. */
class PushRowsTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void eachPushPhaseBecomesARowInDockerPushsWords() {
        assertThat(PushRows.row(new PushProgress("abc", Phase.PREPARING, 0, 0, "Preparing")).orElseThrow())
                .isEqualTo(new PullProgress("abc", PullProgress.Phase.PULLING_FS_LAYER, 0, 0, "Preparing"));
        assertThat(PushRows.row(new PushProgress("abc", Phase.WAITING, 0, 0, "Waiting")).orElseThrow().phase())
                .isEqualTo(PullProgress.Phase.WAITING);
        assertThat(PushRows.row(new PushProgress("abc", Phase.PUSHING, 5, 10, "Pushing")).orElseThrow())
                .isEqualTo(new PullProgress("abc", PullProgress.Phase.DOWNLOADING, 5, 10, "Pushing"));
        assertThat(PushRows.row(new PushProgress("abc", Phase.PUSHED, 10, 10, "Pushed")).orElseThrow())
                .isEqualTo(new PullProgress("abc", PullProgress.Phase.PULL_COMPLETE, 10, 10, "Pushed"));
        assertThat(PushRows.row(new PushProgress("abc", Phase.MOUNTED, 0, 0, "Mounted from team/base")).orElseThrow())
                .isEqualTo(new PullProgress("abc", PullProgress.Phase.ALREADY_EXISTS, 0, 0, "Mounted from team/base"));
        assertThat(PushRows.row(new PushProgress("abc", Phase.ALREADY_EXISTS, 0, 0, "Layer already exists"))
                .orElseThrow().phase()).isEqualTo(PullProgress.Phase.ALREADY_EXISTS);
        assertThat(PushRows.row(new PushProgress("", Phase.DIGEST, 0, 0, "1: digest: " + DIGEST + " size: 528"))
                .orElseThrow()).isEqualTo(new PullProgress("", PullProgress.Phase.DIGEST, 0, 0, "Digest: " + DIGEST));
        assertThat(PushRows.row(new PushProgress("", Phase.STATUS, 0, 0, "The push refers to repository [x]"))).isEmpty();
        assertThat(PushRows.isPushWord("Mounted from team/base")).isTrue();
        assertThat(PushRows.isPushWord("Downloading")).isFalse();
    }

    @Test
    void aTargetIsReadWithOrWithoutDockerSlashSlashAndABadOneSaysWhy() {
        assertThat(PushRows.target("docker://localhost:5000/team/app:1").familiar()).isEqualTo("localhost:5000/team/app:1");
        assertThat(PushRows.target("  localhost:5000/team/app:1 ").registry()).isEqualTo("localhost:5000");
        assertThatThrownBy(() -> PushRows.target("docker://")).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        assertThatThrownBy(() -> PushRows.target("Not A/Reference")).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
    }
}
