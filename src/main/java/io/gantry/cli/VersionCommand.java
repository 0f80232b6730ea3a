package io.gantry.cli;

import io.gantry.engine.EngineInfo;
import io.gantry.engine.ImageStore;
import io.gantry.service.EndpointCatalog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry version} / {@code info}: Gantry's version and what the endpoint says about itself (docker version). */
@Command(name = "version", aliases = "info", description = "Show Gantry's version and the endpoint's: engine, API, containerd, runc, state.")
final class VersionCommand implements Callable<Integer> {

    /** Gantry's own version, as {@code gantry --version} prints it. */
    static final String GANTRY_VERSION = "0.1.0";

    @ParentCommand
    GantryCli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Override
    public Integer call() {
        try (EndpointCatalog catalog = parent.openCatalog()) {
            ImageStore store = parent.store(catalog);
            var out = spec.commandLine().getOut();
            EngineInfo info = store.info(); // UNAVAILABLE when the engine does not answer: exit 1 with why
            if (output.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("client", Map.of("name", "gantry", "version", GANTRY_VERSION, "java", System.getProperty("java.version")));
                json.put("endpoint", Map.of("id", store.endpoint().id(), "name", store.endpoint().name(),
                        "kind", store.endpoint().kind().name().toLowerCase(java.util.Locale.ROOT), "address", store.endpoint().address()));
                json.put("server", info);
                CliJson.print(out, json);
                return 0;
            }
            out.println("Client:");
            out.printf(" Version:           %s%n", GANTRY_VERSION);
            out.printf(" Java:              %s%n", System.getProperty("java.version"));
            out.printf(" Endpoint:          %s (%s)%n", store.endpoint().name(), store.endpoint().id());
            out.println();
            out.println("Server: " + info.product());
            out.printf(" Version:           %s%n", info.version());
            out.printf(" API version:       %s%n", info.apiVersion());
            if (!info.clientVersion().isBlank()) {
                out.printf(" Spoken by Gantry:  %s%n", info.clientVersion());
            }
            if (!info.os().isBlank()) {
                out.printf(" OS/Arch:           %s/%s%n", info.os(), info.arch());
            }
            if (!info.storageDriver().isBlank()) {
                out.printf(" Storage driver:    %s%n", info.storageDriver());
            }
            out.printf(" State:             up (%s)%n", store.endpoint().address());
            for (EngineInfo.Component component : info.components()) {
                out.printf(" %s:%s%s%n", component.name(), " ".repeat(Math.max(1, 18 - component.name().length())),
                        component.version());
            }
            out.flush();
        }
        return 0;
    }
}
