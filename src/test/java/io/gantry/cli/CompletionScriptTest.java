package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.EndpointCatalog;
import io.gantry.store.OciLayoutStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry completion bash|zsh}: the bash script completes commands, options and values in a real bash. */
@Tag("peer")
class CompletionScriptTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private Run gantry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GantryCli.run(d -> new EndpointCatalog(List.of(OciLayoutStore.open(d.orElse(dir.resolve("store"))))),
                new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void bashCompletionCompletesCommandsOptionsAndValues() throws Exception {
        Run bash = gantry("completion", "bash");
        assertThat(bash.code()).isZero();
        Path script = Files.writeString(dir.resolve("gantry.bash"), bash.out());
        assertThat(complete(script, "gantry", "ima")).containsExactly("images");
        assertThat(complete(script, "gantry", "images", "--dan")).containsExactly("--dangling");
        assertThat(complete(script, "gantry", "images", "--format", "")).containsExactlyInAnyOrder("table", "json");
        assertThat(complete(script, "gantry", "completion", "")).containsExactlyInAnyOrder("bash", "zsh");
        Run zsh = gantry("completion", "zsh");
        assertThat(zsh.out()).startsWith("#compdef gantry\n").contains("bashcompinit", "_complete_gantry");
        Run bad = gantry("completion", "fish");
        assertThat(bad.code()).isEqualTo(GantryCli.EXIT_USAGE);
    }

    /** Sources the script in a real bash and asks it to complete the last word of {@code words}. */
    private static List<String> complete(Path script, String... words) throws IOException, InterruptedException {
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            array.append(" '").append(word).append("'");
        }
        String program = "source '" + script + "'\ncompopt() { :; }\nCOMP_WORDS=(" + array + ")\nCOMP_CWORD=" + (words.length - 1)
                + "\nCOMP_LINE=\"${COMP_WORDS[*]}\"\nCOMP_POINT=${#COMP_LINE}\n_complete_gantry\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process bash = new ProcessBuilder("bash", "--norc", "-c", program).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(out).isZero();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
