package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.Digest;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.ImageKey;
import io.gantry.engine.ArchiveFormat;
import io.gantry.engine.LoadResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code docker load} through the engine: {@code POST /images/load} with the archive streamed as
 * the body (never held whole in memory or on disk by Gantry), the engine's answer read as its JSON
 * stream ({@code Loaded image: NAME}, {@code Loaded image ID: sha256:…}, or an {@code error}
 * object), each message size-capped. The engine itself decides what the archive means: a truncated
 * or damaged one is refused by it and tags nothing.
 */
final class EngineLoads {

    private static final java.util.regex.Pattern LOADED_NAME = java.util.regex.Pattern.compile("Loaded image: (\\S+)");
    private static final java.util.regex.Pattern LOADED_ID = java.util.regex.Pattern.compile(
            "Loaded image ID: (sha256:[0-9a-f]{64})");

    private final DockerEngineStore store;
    private final EngineApi api;
    private final ObjectMapper json;

    EngineLoads(DockerEngineStore store, EngineApi api, ObjectMapper json) {
        this.store = store;
        this.api = api;
        this.json = json;
    }

    LoadResult load(InputStream archive) {
        String op = "load images into " + store.name();
        List<String> names = new ArrayList<>();
        List<Digest> ids = new ArrayList<>();
        try (EngineApi.Response response = api.upload(op, "/images/load?quiet=1", archive, "application/x-tar")) {
            JsonMessages.read(json, response.messages(), () -> false, "the load failed",
                    error -> new GantryException(ErrorKind.INVALID_INPUT, op, error.message(), null, 0,
                            "The archive is damaged or cut short; nothing was tagged by it.", null),
                    event -> {
                        String text = event.path("stream").asText("");
                        java.util.regex.Matcher name = LOADED_NAME.matcher(text);
                        java.util.regex.Matcher id = LOADED_ID.matcher(text);
                        if (id.find()) {
                            ids.add(Digest.of(id.group(1)));
                        } else if (name.find()) {
                            // Podman names several images in one line, separated by commas
                            for (String one : name.group(1).split(",")) {
                                if (!one.isBlank()) {
                                    names.add(one.strip());
                                }
                            }
                        }
                    });
        } catch (GantryException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw api.unavailable(op, e);
        }
        // the engine names images or IDs; the port's answer has both
        Map<Digest, List<String>> loaded = new LinkedHashMap<>();
        for (String name : names) {
            loaded.computeIfAbsent(store.inspect(ImageKey.parse(name)).id(), k -> new ArrayList<>()).add(name);
        }
        ids.forEach(id -> loaded.computeIfAbsent(id, k -> new ArrayList<>()));
        List<LoadResult.Loaded> images = new ArrayList<>();
        loaded.forEach((id, n) -> images.add(new LoadResult.Loaded(id, n, 0)));
        return new LoadResult(ArchiveFormat.DOCKER, images);
    }
}
