/**
 * The {@code gantry} command line (picocli) over the same services the GUI uses, so everything the
 * GUI does can be scripted and benchmarked: {@code images}, {@code pull}, {@code inspect},
 * {@code history}, {@code layers}, {@code tag}, {@code rm}, {@code prune}, {@code save},
 * {@code load}, {@code verify}, {@code search}, {@code tags}, {@code endpoints}, {@code ps},
 * {@code version}, {@code df}, {@code tree}, {@code files}, {@code completion}, {@code help}. Every
 * command has {@code -h}/{@code --help} ({@link io.gantry.cli.GantryCli#commandLine}). One exception
 * to picocli: the common forms of {@code files} and {@code pull} ({@code [--store DIR] files
 * [OPTIONS] IMAGE}, {@code [--store DIR] pull [-q] [--platform P] [-j N] REFERENCE}, each option
 * once, plain values) are read by {@code FilesCommand.parseSimple} and {@code PullCommand.parseSimple}
 * (what they share is in {@code SimpleParse}), and anything else (help, other options, repeated or
 * unusual values) goes to picocli as before, so help and error messages stay picocli's; building
 * picocli's model was about a tenth of a cold {@code files} command's CPU and 80 ms of a cold
 * {@code pull}'s ({@code docs/benchmarks.md}). {@code FilesCommandTest} and {@code CliPullTest}
 * compare both parses.
 *
 * <p>Commands stay thin: they parse, call one store verb or service ({@code DockerImageView},
 * {@code ImageListing}, {@code DiskUsage}, {@code EndpointStatus}, {@code EndpointChoice},
 * {@code DeleteMessages}, the layer analysis), and print; tables are sized to their content as
 * docker's ({@code Table}). Listings take
 * {@code --format json}; errors map to the exit codes in {@link io.gantry.cli.GantryCli}
 * (documented in the README) by {@link io.gantry.core.ErrorKind}, never by message text. The
 * composition root provides everything through {@link io.gantry.cli.CliServices}.
 *
 * <p>Ctrl-C is one helper for every command ({@code CtrlC}, installed by
 * {@link io.gantry.cli.GantryCli#run}): its shutdown hook cancels the {@link io.gantry.core.Cancellation}
 * long commands take from {@code GantryCli.ctrlC()} and lets the JVM exit (130) only once the command
 * has ended and printed its one line.
 *
 * <p>Peers' words are data: everything the CLI prints, on standard output and error, passes
 * through {@code TerminalSafeWriter}, which drops escape sequences whole, control characters other
 * than line feed and tab, and bidi overrides; table cells and the lines of {@code history},
 * {@code layers}, {@code tags}, {@code search} and {@code files} are cleaned with
 * {@link io.gantry.core.PeerText#clean} as well. The pull board on a terminal writes its own
 * cursor moves to the raw writer and cleans the engine's text itself. {@code files --changes} hands
 * its change lines to the filter as bytes ({@code TerminalSafeWriter.writeAscii}): printable ASCII,
 * tabs and line feeds between sequences go to standard output unchanged, anything else as text.
 */
package io.gantry.cli;
