package io.gantry.cli;

/**
 * What the command lines read without picocli share ({@link FilesCommand#parseSimple},
 * {@link PullCommand#parseSimple}): building picocli's model of a command line, even for the one
 * subcommand, was about a tenth of a cold {@code gantry files}' CPU and 80 ms of a cold
 * {@code gantry pull}'s (docs/benchmarks.md). Only plain forms are read here; for anything else a
 * parse returns null and picocli reads the command line as before, with its help and messages.
 */
final class SimpleParse {

    /** A command read without picocli. */
    interface Command {
        /** The subcommand's name, as picocli names it in messages. */
        String name();

        /** Runs the command, writing to {@code out}; the exit code. */
        int callWith(java.io.PrintWriter out);
    }

    /**
     * Where {@code command} starts in {@code args}: after {@code [--store DIR]} (or
     * {@code --store=DIR}), at most once, with a plain value.
     *
     * @param store the {@code --store} value, or null
     * @param next the index of the first argument after the command's name
     */
    record Start(String store, int next) {
    }

    /**
     * The rest of a command line read by {@link #words}: its one parameter and the options given,
     * by long name, each with its value as written ({@code ""} for a flag).
     */
    record Words(String parameter, java.util.Map<String, String> options) {
    }

    private SimpleParse() {
    }

    /**
     * The command {@code args} run, read without picocli, or null when picocli must read them: a
     * form the commands do not read by hand, or any of picocli's tracing or parsing switches set
     * ({@code picocli.*} system properties other than {@code picocli.disable.closures}).
     */
    static Command parse(GantryCli root, String... args) {
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("picocli.") && !name.equals("picocli.disable.closures")) {
                return null;
            }
        }
        Command files = FilesCommand.parseSimple(root, args);
        return files != null ? files : PullCommand.parseSimple(root, args);
    }

    /** Where {@code command} starts, or null unless only {@code --store DIR} comes before it. */
    static Start start(String command, String... args) {
        int i = 0;
        String store = null;
        for (; i < args.length && !args[i].equals(command); i++) {
            String value;
            if (args[i].equals("--store") && i + 1 < args.length) {
                value = args[++i];
            } else if (args[i].startsWith("--store=")) {
                value = args[i].substring("--store=".length());
            } else {
                return null;
            }
            if (store != null || !plainValue(value) || value.indexOf('\0') >= 0) {
                return null;
            }
            store = value;
        }
        return i == args.length ? null : new Start(store, i + 1);
    }

    /**
     * Reads {@code args} from {@code from}: one plain parameter, and options each at most once, a
     * flag (one of {@code flags}, never with {@code =value}) or an option with a value (one of
     * {@code valued}: {@code --name VALUE}, {@code --name=VALUE}, or {@code -x VALUE} for a short
     * name in {@code shortNames}, which maps it to its long name). Null for anything else: an
     * unknown or repeated option, a second or missing parameter, a bundled short option, an option
     * without its value, {@code --}.
     */
    static Words words(String[] args, int from, java.util.Set<String> flags, java.util.Set<String> valued,
                       java.util.Map<String, String> shortNames) {
        String parameter = null;
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                if (parameter != null || !plainParameter(arg)) {
                    return null;
                }
                parameter = arg;
                continue;
            }
            int equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String written = equals < 0 ? arg : arg.substring(0, equals);
            String name = shortNames.getOrDefault(written, written);
            if (options.containsKey(name)) {
                return null;
            }
            if (flags.contains(name) && equals < 0) {
                options.put(name, "");
            } else if (valued.contains(name) && (equals >= 0 || i + 1 < args.length)) {
                options.put(name, equals >= 0 ? arg.substring(equals + 1) : args[++i]);
            } else {
                return null;
            }
        }
        return parameter == null ? null : new Words(parameter, options);
    }

    /** Sets what {@link #start} read on the root command, for a command that was read whole. */
    static void apply(Start start, GantryCli root) {
        root.store = start.store() == null ? null : java.nio.file.Paths.get(start.store());
    }

    /** {@code 0} or a decimal of at most {@code maxDigits} digits without leading zeros. */
    static boolean wholeNumber(String value, int maxDigits) {
        return value.length() <= maxDigits && digits(value, 0, value.length())
                && (value.charAt(0) != '0' || value.length() == 1);
    }

    /** Whether {@code value}'s characters from {@code from} to {@code to} are at least one, all ASCII digits. */
    static boolean digits(String value, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A word picocli takes as it is: not empty, not like an option, no quotes it might trim. */
    static boolean plainValue(String value) {
        return !value.isEmpty() && !value.startsWith("-") && value.indexOf('"') < 0 && value.indexOf('\'') < 0;
    }

    /** A positional value picocli takes as it is: a plain word that is not an {@code @FILE} of arguments. */
    static boolean plainParameter(String value) {
        return plainValue(value) && !value.startsWith("@");
    }
}
