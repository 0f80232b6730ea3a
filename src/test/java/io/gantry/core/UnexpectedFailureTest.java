package io.gantry.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A failure Gantry did not expect reaches the user without a Java class name; the cause stays for the log. */
class UnexpectedFailureTest {

    @Test
    void theMessageCarriesTheCausesTextButNotItsClass() {
        IllegalStateException cause = new IllegalStateException("queue full");
        GantryException e = GantryException.unexpected("pull app:1", cause);
        assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL);
        assertThat(e.describe()).isEqualTo("pull app:1: it failed unexpectedly: queue full");
        assertThat(e.describe()).doesNotContain("IllegalStateException", "java.");
        assertThat(e.getCause()).isSameAs(cause);
    }

    @Test
    void aCauseWithoutAMessageStillSaysWhatHappened() {
        GantryException e = GantryException.unexpected("push app:1", new NullPointerException());
        assertThat(e.describe()).isEqualTo("push app:1: it failed unexpectedly").doesNotContain("NullPointerException");
    }
}
