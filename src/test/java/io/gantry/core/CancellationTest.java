package io.gantry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CancellationTest {

    @Test
    void runsHooksOnceAndThenFailsChecks() {
        Cancellation cancellation = new Cancellation();
        AtomicInteger runs = new AtomicInteger();
        cancellation.onCancel(runs::incrementAndGet);
        Cancellation.Registration removed = cancellation.onCancel(() -> runs.addAndGet(100));
        removed.close();
        cancellation.throwIfCancelled("work");

        cancellation.cancel();
        cancellation.cancel();

        assertThat(runs).hasValue(1);
        assertThatThrownBy(() -> cancellation.throwIfCancelled("work"))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
        cancellation.onCancel(runs::incrementAndGet);
        assertThat(runs).hasValue(2);
    }
}
