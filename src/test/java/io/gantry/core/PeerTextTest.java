package io.gantry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Issue 14, item 6: peers' words are data. Hostile strings are built here as a registry would send them. */
class PeerTextTest {

    @Test
    void escapeSequencesAndControlCharactersAreRemoved() {
        String hostile = "v1\u001B[2J\u001B]0;pwned\u0007\u001B[31mred\u0000\u0008\u009B2J end\r\nnext";
        String clean = PeerText.clean(hostile);
        assertThat(clean).isEqualTo("v1red end  next");
        assertThat(clean.chars()).noneMatch(Character::isISOControl);
    }

    @Test
    void aCredentialGantrySentIsRedactedInEveryForm() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("alice:canary-pass-42".getBytes(StandardCharsets.UTF_8));
        PeerText.rememberSecret(basic);
        PeerText.rememberSecret("Bearer tok.en-value-123");
        String echoed = "unauthorized: header was " + basic + " (alice:canary-pass-42) and tok.en-value-123";
        String clean = PeerText.clean(echoed);
        assertThat(clean).doesNotContain("canary-pass-42").doesNotContain(basic.substring(6)).doesNotContain("tok.en-value-123")
                .contains("[redacted]");
    }

    @Test
    void nullAndPlainTextPassThrough() {
        assertThat(PeerText.clean(null)).isEmpty();
        assertThat(PeerText.clean("nginx:1.27 — ok")).isEqualTo("nginx:1.27 — ok");
    }
}
