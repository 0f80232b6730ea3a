package io.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which subcommands picocli is asked to build for a command line (only the one run, when named). */
class SubcommandChoiceTest {

    @Test
    void theNamedSubcommandAloneIsBuilt() {
        assertThat(GantryCli.subcommandsFor("pull", "alpine")).containsExactly(PullCommand.class);
        assertThat(GantryCli.subcommandsFor("rmi", "alpine")).as("an alias").containsExactly(RmCommand.class);
    }

    @Test
    void theValueOfAGlobalOptionIsNotTakenForTheSubcommand() {
        assertThat(GantryCli.subcommandsFor("--store", "pull", "images")).containsExactly(ImagesCommand.class);
        assertThat(GantryCli.subcommandsFor("--endpoint=docker", "tags", "x")).containsExactly(TagsCommand.class);
    }

    @Test
    void pullSearchAndTagsTalkToRegistries() {
        assertThat(GantryCli.talksToRegistries("--store", "/tmp/s", "pull", "alpine")).isTrue();
        assertThat(GantryCli.talksToRegistries("tags", "alpine")).isTrue();
        assertThat(GantryCli.talksToRegistries("images")).isFalse();
        assertThat(GantryCli.talksToRegistries("--help")).isFalse();
    }

    @Test
    void theNameTableMatchesTheCommandsAnnotations() {
        java.util.Map<String, Class<?>> expected = new java.util.HashMap<>();
        for (Class<?> subcommand : GantryCli.subcommandsFor("--help")) {
            picocli.CommandLine.Command command = subcommand.getAnnotation(picocli.CommandLine.Command.class);
            expected.put(command.name(), subcommand);
            for (String alias : command.aliases()) {
                expected.put(alias, subcommand);
            }
        }
        assertThat(GantryCli.BY_NAME).isEqualTo(expected);
    }

    @Test
    void helpAndUnknownNamesGetEverySubcommand() {
        assertThat(GantryCli.subcommandsFor("--help")).hasSize(GantryCli.allSubcommands().size());
        assertThat(GantryCli.subcommandsFor()).hasSize(GantryCli.allSubcommands().size());
        assertThat(GantryCli.subcommandsFor("imagez")).as("picocli suggests the near names").hasSize(GantryCli.allSubcommands().size());
    }
}
