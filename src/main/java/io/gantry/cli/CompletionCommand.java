package io.gantry.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry completion bash|zsh}: the shell completion script picocli generates from the
 * commands' own model (every command, option and enum value), so it cannot drift from them. The
 * zsh script is the same script run through zsh's {@code bashcompinit}; as a file in a zsh
 * {@code fpath} directory ({@code _gantry}) it loads itself on the first completion.
 */
@Command(name = "completion", description = "Print the shell completion script for bash or zsh.",
        footerHeading = "%nInstall:%n",
        footer = {"  bash: gantry completion bash > ~/.local/share/bash-completion/completions/gantry",
                "  zsh:  gantry completion zsh > \"${fpath[1]}/_gantry\"   (or: source <(gantry completion zsh))",
                "The packages install both (bash-completion and zsh vendor-completions directories)."})
final class CompletionCommand implements Callable<Integer> {

    /** The shells it writes a script for. */
    enum Shell { BASH, ZSH }

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh", completionCandidates = ShellNames.class)
    Shell shell;

    /** The shell names as typed (picocli would offer the constants in upper case). */
    static final class ShellNames extends java.util.ArrayList<String> {
        ShellNames() {
            super(java.util.List.of("bash", "zsh"));
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(script(parent.services, shell));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The completion script for {@code shell}, over every command. */
    static String script(CliServices services, Shell shell) {
        CommandLine all = GantryCli.commandLine(services, GantryCli.allSubcommands());
        String bash = AutoComplete.bash("gantry", all);
        if (shell == Shell.BASH) {
            return bash;
        }
        // zsh: the bash script runs under zsh's bashcompinit (picocli's script sets that up when
        // sourced). As a file _gantry in fpath, compinit autoloads it on the first completion: the
        // body then registers the completion and, that first time, completes the word asked for.
        return "#compdef gantry\n"
                + bash
                + "\nif [[ \"${funcstack[1]}\" == _gantry ]]; then _bash_complete -F _complete_gantry -o default; fi\n";
    }
}
