package io.gantry.cli;

import picocli.CommandLine.Option;

/** The {@code --format table|json} option every listing command has (a picocli mixin). */
final class OutputFormat {

    /** How a listing is printed. */
    enum Format { TABLE, JSON }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json")
    Format format = Format.TABLE;

    boolean json() {
        return format == Format.JSON;
    }
}
