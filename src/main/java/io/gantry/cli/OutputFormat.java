package io.gantry.cli;

import picocli.CommandLine.Option;

/** The {@code --format table|json} option every listing command has (a picocli mixin). */
final class OutputFormat {

    /** How a listing is printed. */
    enum Format { TABLE, JSON }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", completionCandidates = Names.class,
            description = "table (default) or json")
    Format format = Format.TABLE;

    /** The values as typed, for shell completion. */
    static final class Names extends java.util.ArrayList<String> {
        Names() {
            super(java.util.List.of("table", "json"));
        }
    }

    boolean json() {
        return format == Format.JSON;
    }
}
