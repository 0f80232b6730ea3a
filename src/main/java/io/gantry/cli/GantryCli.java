package io.gantry.cli;

import io.gantry.core.Cancellation;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.Capabilities.Capability;
import io.gantry.engine.ImageStore;
import io.gantry.service.EndpointCatalog;
import io.gantry.service.EndpointChoice;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code gantry} command. Subcommands share {@code --store} and {@code --endpoint}; errors
 * print one readable line (what failed, why) and what to do, and exit with a code scripts can
 * rely on (see the constants; README lists them).
 */
@Command(name = "gantry", mixinStandardHelpOptions = true, version = "gantry 0.1.0",
        description = "See and tidy container images: the embedded store, Docker-compatible engines, registries.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure (one line on stderr says what and what to do)", "2:bad usage or input",
                "3:not found (image, tag, repository, endpoint)", "4:conflict (delete refused, store busy)",
                "5:verify found problems", "130:cancelled (Ctrl-C)"})
public final class GantryCli {

    public static final int EXIT_OK = 0;
    /** A failure Gantry reported that has no code of its own. */
    public static final int EXIT_FAILURE = 1;
    /** Bad usage (picocli) or bad input (a malformed reference, a file that is not an archive). */
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_NOT_FOUND = 3;
    /** A delete refused by the delete rules, or the store busy with another process. */
    public static final int EXIT_CONFLICT = 4;
    /** {@code gantry verify} found damaged or missing blobs. */
    public static final int EXIT_DAMAGED = 5;
    public static final int EXIT_CANCELLED = 130;

    /** The subcommands, in the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(EndpointsCommand.class, ImagesCommand.class,
            PullCommand.class, PushCommand.class, OutdatedCommand.class, InspectCommand.class, HistoryCommand.class, LayersCommand.class, TagCommand.class,
            RmCommand.class, PruneCommand.class, SaveCommand.class, LoadCommand.class, CpCommand.class, VerifyCommand.class,
            SearchCommand.class, TagsCommand.class, PsCommand.class, VersionCommand.class, DfCommand.class,
            TreeCommand.class, FilesCommand.class, ManifestCommand.class, NamespacesCommand.class, NodeCommand.class, KubeCommand.class, CompletionCommand.class,
            HelpCommand.class);
    /**
     * Each subcommand by its names (as in its {@code @Command}; a test keeps them equal): reading
     * the annotations of every class to find one cost more than building its model.
     */
    static final Map<String, Class<?>> BY_NAME = Map.ofEntries(Map.entry("endpoints", EndpointsCommand.class),
            Map.entry("images", ImagesCommand.class), Map.entry("pull", PullCommand.class),
            Map.entry("push", PushCommand.class), Map.entry("outdated", OutdatedCommand.class),
            Map.entry("inspect", InspectCommand.class), Map.entry("history", HistoryCommand.class),
            Map.entry("layers", LayersCommand.class), Map.entry("tag", TagCommand.class), Map.entry("rm", RmCommand.class),
            Map.entry("rmi", RmCommand.class), Map.entry("prune", PruneCommand.class), Map.entry("save", SaveCommand.class),
            Map.entry("load", LoadCommand.class), Map.entry("cp", CpCommand.class), Map.entry("verify", VerifyCommand.class),
            Map.entry("search", SearchCommand.class), Map.entry("tags", TagsCommand.class),
            Map.entry("ps", PsCommand.class), Map.entry("containers", PsCommand.class),
            Map.entry("version", VersionCommand.class), Map.entry("info", VersionCommand.class),
            Map.entry("df", DfCommand.class), Map.entry("tree", TreeCommand.class), Map.entry("files", FilesCommand.class),
            Map.entry("manifest", ManifestCommand.class), Map.entry("namespaces", NamespacesCommand.class),
            Map.entry("node", NodeCommand.class), Map.entry("kube", KubeCommand.class), Map.entry("k8s", KubeCommand.class),
            Map.entry("completion", CompletionCommand.class), Map.entry("help", HelpCommand.class));
    /** The options of {@code gantry} itself that take a value (so the word after them is no subcommand). */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--store", "--endpoint", "--namespace", "-n");

    final CliServices services;

    @Option(names = "--store", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "The embedded store's directory (default: $GANTRY_HOME/store or the platform data dir).")
    Path store;

    @Option(names = "--endpoint", scope = ScopeType.INHERIT, paramLabel = "ENDPOINT",
            description = "The endpoint to use: an ID as 'gantry endpoints' lists it, a docker context name, "
                    + "or an engine address (unix:///path, /path/to.sock, tcp://host:port). Default: embedded.")
    String endpoint;

    @Option(names = {"--namespace", "-n"}, scope = ScopeType.INHERIT, paramLabel = "NAMESPACE",
            description = "The namespace of a containerd endpoint (default, k8s.io, moby…; 'gantry --endpoint ID "
                    + "namespaces' lists them). Default: the endpoint's own (CONTAINERD_NAMESPACE, else default). For gantry "
                    + "kube: the Kubernetes namespace.")
    String namespace;

    /** Ctrl-C for the command line being run; set by {@link #run}. */
    private CtrlC ctrlC;

    public GantryCli(CliServices services) {
        this.services = services;
    }

    /** Cancelled when Ctrl-C is pressed during this command line ({@link CtrlC}). */
    Cancellation ctrlC() {
        return ctrlC == null ? new Cancellation() : ctrlC.cancellation();
    }

    Optional<Path> storeDir() {
        return Optional.ofNullable(store);
    }

    /**
     * The embedded store alone when no {@code --endpoint} is given, else every endpoint (the
     * embedded store then opened only if the command asks for it: {@code --endpoint embedded}, a copy). A
     * {@code --store} directory that holds no store is not created ({@code NOT_FOUND}): only
     * {@code pull} and {@code load} create one ({@link #openCatalog(OptionalInt, boolean)}).
     */
    EndpointCatalog openCatalog() {
        return openCatalog(OptionalInt.empty(), false);
    }

    /** {@link #openCatalog()}, creating the store when {@code createStore} (a pull, a load) and none is there. */
    EndpointCatalog openCatalog(OptionalInt parallelDownloads, boolean createStore) {
        return endpoint == null ? services.openEmbedded(storeDir(), parallelDownloads, createStore)
                : services.openForEndpoint(storeDir(), parallelDownloads, createStore);
    }

    /**
     * Every endpoint, whatever {@code --endpoint} says (for {@code gantry endpoints}); a reading
     * command, so a {@code --store} directory holding no store is not created.
     */
    EndpointCatalog openAll() {
        return services.open(storeDir(), OptionalInt.empty(), false);
    }

    /** The endpoint {@code --endpoint} names, else the embedded store; in {@code --namespace} when given. */
    ImageStore store(EndpointCatalog catalog) {
        ImageStore chosen = chosenStore(catalog);
        if (namespace == null || chosen.namespace().equals(Optional.of(namespace))) {
            return chosen;
        }
        if (!chosen.capabilities().namespaces()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "choose namespace " + namespace, chosen.endpoint().name()
                    + " has no namespaces", null, 0, "Leave out --namespace, or choose a containerd endpoint "
                    + "(gantry endpoints lists them).", null);
        }
        ImageStore inNamespace = chosen.inNamespace(namespace);
        catalog.replace(inNamespace);
        return inNamespace;
    }

    private ImageStore chosenStore(EndpointCatalog catalog) {
        return endpointNamed(catalog, endpoint);
    }

    /**
     * The endpoint {@code endpoint} names (an ID, a docker context name or an engine address; null:
     * the embedded store), in {@code namespace} when given; {@code NOT_FOUND} listing the known IDs.
     * A store in another namespace is not in the catalog: the caller closes it.
     */
    ImageStore endpointNamed(EndpointCatalog catalog, String endpoint, String namespace) {
        ImageStore chosen = endpointNamed(catalog, endpoint);
        if (namespace == null || chosen.namespace().equals(Optional.of(namespace))) {
            return chosen;
        }
        if (!chosen.capabilities().namespaces()) {
            throw new GantryException(ErrorKind.INVALID_INPUT, "choose namespace " + namespace, chosen.endpoint().name()
                    + " has no namespaces", null, 0, "Leave out the namespace, or choose a containerd endpoint "
                    + "(gantry endpoints lists them).", null);
        }
        return chosen.inNamespace(namespace);
    }

    private ImageStore endpointNamed(EndpointCatalog catalog, String endpoint) {
        if (endpoint == null) {
            return catalog.defaultStore();
        }
        Optional<ImageStore> found = EndpointChoice.find(catalog, endpoint);
        if (found.isPresent()) {
            return found.get();
        }
        if (EndpointChoice.isAddress(endpoint)) {
            Optional<ImageStore> opened = services.openEngine(EndpointChoice.address(endpoint));
            if (opened.isPresent()) {
                catalog.add(opened.get());
                return opened.get();
            }
        }
        return catalog.store(endpoint); // NOT_FOUND, listing the known IDs
    }

    /**
     * The chosen endpoint ({@link #store}) when it can do what {@code command} needs; else
     * {@code INVALID_INPUT} naming the endpoint and what can.
     */
    ImageStore storeThatCan(EndpointCatalog catalog, Capability needed, String command) {
        ImageStore chosen = store(catalog);
        if (!chosen.capabilities().has(needed) && needed == Capability.NODE_IMAGES) {
            throw new GantryException(ErrorKind.INVALID_INPUT, command, chosen.endpoint().name()
                    + " is no Kubernetes node (no CRI)", null, 0, "Name a containerd with its CRI plugin, e.g. gantry "
                    + "--endpoint /run/containerd/containerd.sock " + command + " (gantry endpoints lists them).", null);
        }
        if (!chosen.capabilities().has(needed)) {
            String what = needed == Capability.VERIFY ? "verify its storage" : command + " images";
            String instead = needed == Capability.VERIFY ? "Leave out --endpoint to verify the embedded store."
                    : "Leave out --endpoint (the embedded store can), or use the engine's own tool (docker " + command + ").";
            throw new GantryException(ErrorKind.INVALID_INPUT, command, chosen.endpoint().name() + " cannot " + what,
                    null, 0, instead, null);
        }
        return chosen;
    }

    /**
     * The exit code of a command over several images ({@code rm A B}, {@code inspect A B}), as
     * docker's: 0 when all succeeded; when every one failed for the same reason, that reason's code
     * (3 not found, 4 refused); otherwise 1 (some succeeded, or the reasons differ).
     */
    static int exitCodeOfMany(int succeeded, Set<Integer> failureCodes) {
        if (failureCodes.isEmpty()) {
            return EXIT_OK;
        }
        return succeeded == 0 && failureCodes.size() == 1 ? failureCodes.iterator().next() : EXIT_FAILURE;
    }

    /** The exit code for an error of this kind. */
    public static int exitCode(GantryException e) {
        return switch (e.kind()) {
            case INVALID_INPUT -> EXIT_USAGE;
            case NOT_FOUND -> EXIT_NOT_FOUND;
            case CONFLICT -> EXIT_CONFLICT;
            case CANCELLED -> EXIT_CANCELLED;
            default -> EXIT_FAILURE;
        };
    }

    /**
     * The subcommands to build for {@code args}: only the one named, when the first word that is
     * not an option names one, else all of them (for help, and for picocli to suggest a name).
     * Picocli builds each subcommand's model by reflection, and on a 2-core machine building all
     * fourteen for every command was a noticeable part of a short command's start.
     */
    static List<Class<?>> subcommandsFor(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (OPTIONS_WITH_VALUE.contains(arg)) {
                i++; // its value
            } else if (!arg.startsWith("-")) {
                Class<?> named = BY_NAME.get(arg);
                if (named == HelpCommand.class) {
                    // gantry help COMMAND: that command's model too, else every command for the list
                    Class<?> topic = i + 1 < args.length ? BY_NAME.get(args[i + 1]) : null;
                    return topic != null && topic != HelpCommand.class ? List.of(HelpCommand.class, topic) : SUBCOMMANDS;
                }
                return named != null ? List.of(named) : SUBCOMMANDS;
            }
        }
        return SUBCOMMANDS;
    }

    /** Whether {@code args} run a subcommand that talks to registries (pull, push, search, tags). */
    public static boolean talksToRegistries(String... args) {
        List<Class<?>> chosen = subcommandsFor(args);
        return chosen.size() == 1 && List.of(PullCommand.class, PushCommand.class, CpCommand.class, OutdatedCommand.class, SearchCommand.class,
                TagsCommand.class).contains(chosen.get(0));
    }

    /**
     * The command line with {@code subcommands}; every one of them gets {@code -h}/{@code --help}
     * (and {@code -V}/{@code --version}), so a new command cannot miss them.
     */
    static CommandLine commandLine(CliServices services, List<Class<?>> subcommands) {
        return commandLine(new GantryCli(services), subcommands);
    }

    private static CommandLine commandLine(GantryCli root, List<Class<?>> subcommands) {
        CommandLine commandLine = new CommandLine(root);
        for (Class<?> subcommand : subcommands) {
            commandLine.addSubcommand(subcommand);
        }
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            if (!(sub.getCommand() instanceof HelpCommand)) {
                sub.getCommandSpec().mixinStandardHelpOptions(true);
            }
        }
        CommandLine kube = commandLine.getSubcommands().get("kube");
        if (kube != null) {
            KubeCommand.dropEngineOptions(kube);
        }
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    /**
     * picocli checks required parameters before it reports arguments it did not understand, so
     * {@code gantry search -x} said "Missing required parameter: 'TERM'". An unknown option is the
     * user's real mistake: it is reported first, as docker does; the rest is picocli's own handling
     * (the message, then the usage, exit code 2).
     */
    private static CommandLine.ParameterException unknownOptionFirst(CommandLine.ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        List<String> unknownOptions = cmd.getUnmatchedArguments().stream()
                .filter(arg -> arg.startsWith("-") && !arg.equals("-")).toList();
        return ex instanceof CommandLine.MissingParameterException && !unknownOptions.isEmpty()
                ? new CommandLine.UnmatchedArgumentException(cmd, unknownOptions)
                : ex;
    }

    /** Every subcommand, for help and shell completion. */
    static List<Class<?>> allSubcommands() {
        return SUBCOMMANDS;
    }

    /** Runs the command line and returns the exit code. */
    public static int run(CliServices services, PrintWriter rawOut, PrintWriter rawErr, String... args) {
        return run(services, rawOut, null, rawErr, args);
    }

    /**
     * As {@link #run(CliServices, PrintWriter, PrintWriter, String...)}; {@code outBytes} (or null)
     * is the stream {@code rawOut} writes to, in a charset that writes printable ASCII as the same
     * bytes (UTF-8, ISO-8859-1, US-ASCII): a long listing ({@code files --changes}) writes its plain
     * lines there as bytes, after the filter has checked them.
     */
    public static int run(CliServices services, PrintWriter rawOut, java.io.OutputStream outBytes, PrintWriter rawErr,
                          String... args) {
        // peers' words are data: no escape sequence or control character from a peer reaches the terminal
        PrintWriter out = TerminalSafeWriter.wrap(rawOut, outBytes);
        PrintWriter err = TerminalSafeWriter.wrap(rawErr);
        GantryCli root = new GantryCli(services);
        // the usual `files IMAGE --changes` and `pull REF` are read without picocli (SimpleParse): building
        // picocli's model, even for the one subcommand, was about a tenth of a cold `files`' CPU
        SimpleParse.Command simple = SimpleParse.parse(root, args);
        CommandLine commandLine = simple != null ? null : picocli(root, services, out, err, args);
        try (CtrlC ctrlC = CtrlC.install(err)) {
            root.ctrlC = ctrlC;
            int code = commandLine != null ? commandLine.execute(args) : callSimple(simple, services, out, err);
            out.flush();
            err.flush();
            return code;
        }
    }

    /** The command line for {@code args}: Gantry's colours, streams and error handling on picocli's parse. */
    private static CommandLine picocli(GantryCli root, CliServices services, PrintWriter out, PrintWriter err,
                                       String... args) {
        CommandLine commandLine = commandLine(root, subcommandsFor(args));
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        commandLine.setOut(out);
        commandLine.setErr(err);
        CommandLine.IParameterExceptionHandler picocliOwn = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((ex, arguments) -> picocliOwn.handleParseException(unknownOptionFirst(ex), arguments));
        commandLine.setExecutionExceptionHandler((ex, cmd, parsed) -> failed(services, ex, cmd.getCommandName(), cmd.getErr()));
        return commandLine;
    }

    /** Runs a command read without picocli, with the error handling picocli's commands get. */
    private static int callSimple(SimpleParse.Command command, CliServices services, PrintWriter out, PrintWriter err) {
        try {
            return command.callWith(out);
        } catch (Exception e) {
            return failed(services, e, command.name(), err);
        }
    }

    /**
     * What a command that threw {@code ex} says and exits with: a {@link GantryException}'s own
     * message and action; anything else one line, the detail in the log file. Never a stack trace
     * on the terminal.
     */
    private static int failed(CliServices services, Exception ex, String command, PrintWriter err) {
        if (ex instanceof GantryException ge) {
            if (ge.isBug()) {
                org.slf4j.LoggerFactory.getLogger(GantryCli.class).error(io.gantry.core.LogMarkers.TOLD,
                        "gantry {} failed", command, ge);
            }
            err.println("gantry: " + io.gantry.core.PeerText.clean(ge.describe()));
            ge.action().ifPresent(action -> err.println("  " + io.gantry.core.PeerText.clean(action)));
            err.flush();
            return exitCode(ge);
        }
        org.slf4j.LoggerFactory.getLogger(GantryCli.class).error(io.gantry.core.LogMarkers.TOLD,
                "gantry {} failed", command, ex);
        String message = ex.getMessage();
        err.println("gantry: " + command + " failed unexpectedly"
                + (message == null || message.isBlank() ? "" : ": " + io.gantry.core.PeerText.clean(message))
                + services.logFile().map(file -> " (details in " + file + ")")
                        .orElse(" (run it again with GANTRY_LOG=debug for the details)"));
        err.flush();
        return EXIT_FAILURE;
    }
}
