package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.service.EndpointCatalog;
import io.gantry.store.OciLayoutStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command answers --help, -h and {@code gantry help COMMAND}. */
class HelpTest {

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
    void everyCommandAndAliasHasHelpUnderEveryForm() {
        assertThat(GantryCli.BY_NAME).hasSizeGreaterThan(15);
        for (String name : GantryCli.BY_NAME.keySet()) {
            if (name.equals("help")) {
                continue;
            }
            String primary = GantryCli.BY_NAME.get(name).getAnnotation(picocli.CommandLine.Command.class).name();
            for (List<String> form : List.of(List.of(name, "--help"), List.of(name, "-h"), List.of("help", name),
                    List.of("--store", dir.toString(), name, "--help"))) {
                Run run = gantry(form.toArray(String[]::new));
                assertThat(run.code()).as("gantry %s: %s", form, run.err()).isZero();
                assertThat(run.out()).as("gantry %s", form).startsWith("Usage: gantry " + primary)
                        .contains("-h, --help");
                assertThat(run.err()).as("gantry %s", form).isEmpty();
            }
        }
    }

    @Test
    void helpAloneAndTopLevelHelpListEveryCommand() {
        for (String[] form : List.of(new String[] {"help"}, new String[] {"--help"}, new String[] {"-h"})) {
            Run run = gantry(form);
            assertThat(run.code()).isZero();
            for (Class<?> command : GantryCli.allSubcommands()) {
                assertThat(run.out()).contains("  " + command.getAnnotation(picocli.CommandLine.Command.class).name());
            }
        }
        Run unknown = gantry("help", "imagez");
        assertThat(unknown.code()).isEqualTo(GantryCli.EXIT_USAGE);
        assertThat(unknown.err()).contains("imagez");
    }

    /**
     * {@code gantry search -x} said "Missing required parameter: 'TERM'": picocli checks required
     * parameters before it reports what it did not understand. A typo'd option is the real mistake,
     * so it is named first, for every command (docker: "unknown shorthand flag: 'x' in -x").
     */
    @Test
    void anUnknownOptionIsNamedEvenWhenAParameterIsMissing() {
        for (String name : GantryCli.BY_NAME.keySet()) {
            if (name.equals("help") || name.equals("kube") || name.equals("manifest")) {
                continue; // these take a subcommand, and picocli names the missing subcommand
            }
            Run run = gantry(name, "-x");
            assertThat(run.code()).as("gantry %s -x", name).isEqualTo(GantryCli.EXIT_USAGE);
            assertThat(run.err()).as("gantry %s -x", name).startsWith("Unknown option: '-x'")
                    .doesNotContain("Missing required");
        }
    }
}
