package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which {@code pull} command lines are read without picocli ({@link PullCommand#parseSimple}) and
 * what they read; {@code CliPullTest} runs both parses against a registry and compares them.
 */
class PullCommandTest {

    /** What picocli must read (help, other options, repeated, bundled or unusual values) is not read without it. */
    @Test
    void anythingButTheCommonFormsIsLeftToPicocli() {
        for (List<String> args : List.of(List.of("pull"), List.of("pull", "-h"), List.of("pull", "a:1", "--help"),
                List.of("pull", "a:1", "b:1"), List.of("pull", "-q", "-q", "a:1"), List.of("pull", "-q", "--quiet", "a:1"),
                List.of("pull", "--quiet=true", "a:1"), List.of("pull", "-qj", "2", "a:1"), List.of("pull", "-j2", "a:1"),
                List.of("pull", "-j=2", "a:1"), List.of("pull", "a:1", "-j"), List.of("pull", "-j", "-1", "a:1"),
                List.of("pull", "-j", "07", "a:1"), List.of("pull", "-j", "x", "a:1"), List.of("pull", "-j", "9999999999", "a:1"),
                List.of("pull", "--jobs", "1", "-j", "2", "a:1"), List.of("pull", "--platform", "a", "--platform=b", "a:1"),
                List.of("pull", "--platform=", "a:1"), List.of("pull", "--platform", "-q", "a:1"), List.of("pull", "--plat", "x", "a:1"),
                List.of("pull", "--unknown", "a:1"), List.of("pull", "@args"), List.of("pull", ""), List.of("pull", "--", "a:1"),
                List.of("pull", "--store", "s", "a:1"), List.of("--store", "s", "--store", "s", "pull", "a:1"),
                List.of("--endpoint", "docker", "pull", "a:1"), List.of("-n", "x", "pull", "a:1"), List.of("images"),
                List.of("files", "a:1"), List.of("push", "a:1"))) {
            assertThat(PullCommand.parseSimple(new GantryCli(null), args.toArray(String[]::new))).as("%s", args).isNull();
        }
    }

    @Test
    void theCommonFormsAreReadWhole() {
        GantryCli root = new GantryCli(null);
        PullCommand read = PullCommand.parseSimple(root, "--store=s", "pull", "--platform", "linux/arm64/v8", "a:1",
                "--jobs=4", "-q");
        assertThat(read).isNotNull();
        assertThat(root.store).isEqualTo(Path.of("s"));
        assertThat(read.parent).isSameAs(root);
        assertThat(read.reference).isEqualTo("a:1");
        assertThat(read.platform).isEqualTo("linux/arm64/v8");
        assertThat(read.jobs).isEqualTo(4);
        assertThat(read.quiet).isTrue();

        PullCommand plain = PullCommand.parseSimple(root, "pull", "localhost:5000/app@sha256:" + "a".repeat(64));
        assertThat(plain).isNotNull();
        assertThat(plain.jobs).isNull();
        assertThat(plain.platform).isNull();
        assertThat(plain.quiet).isFalse();
        assertThat(root.store).isNull();
        assertThat(SimpleParse.parse(new GantryCli(null), "-q", "pull", "a:1")).isNull();
        assertThat(SimpleParse.parse(new GantryCli(null), "pull", "-j", "1", "a:1")).isInstanceOf(PullCommand.class);
        assertThat(SimpleParse.parse(new GantryCli(null), "files", "a:1")).isInstanceOf(FilesCommand.class);
    }

    /** With one of picocli's tracing or parsing switches set, picocli reads every command line. */
    @Test
    void picocliSwitchesSendEveryCommandLineToPicocli() {
        assertThat(SimpleParse.parse(new GantryCli(null), "pull", "a:1")).isNotNull();
        System.setProperty("picocli.trace", "DEBUG");
        try {
            assertThat(SimpleParse.parse(new GantryCli(null), "pull", "a:1")).isNull();
            assertThat(SimpleParse.parse(new GantryCli(null), "files", "a:1")).isNull();
        } finally {
            System.clearProperty("picocli.trace");
        }
        String closures = System.setProperty("picocli.disable.closures", "true"); // as Main sets it
        try {
            assertThat(SimpleParse.parse(new GantryCli(null), "pull", "a:1")).isNotNull();
        } finally {
            if (closures == null) {
                System.clearProperty("picocli.disable.closures");
            } else {
                System.setProperty("picocli.disable.closures", closures);
            }
        }
    }
}
