package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.Digest;
import io.gantry.core.GantryException;
import io.gantry.core.Platform;
import io.gantry.engine.ManifestList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The manifest lists a Podman service keeps ({@code podman manifest create/add}), read through its
 * libpod API: Podman stores a list as an image whose compatible listing ({@code /images/json})
 * leaves it out, so a list is an entry of {@code /libpod/images/json} that the compatible listing
 * lacks and whose {@code /libpod/manifests/{id}/json} answers with a list. Podman 4.3 has no flag
 * for it in the listing ({@code IsManifestList} came later).
 */
final class PodmanManifestLists {

    private PodmanManifestLists() {
    }

    static List<ManifestList> list(EngineApi api, String op) {
        Set<Digest> images = new HashSet<>();
        for (JsonNode node : api.get(op, "/images/json?all=1")) {
            images.add(EngineJson.imageId(node.path("Id").asText()));
        }
        List<ManifestList> lists = new ArrayList<>();
        for (JsonNode node : api.get(op, "/libpod/images/json")) {
            Digest id = EngineJson.imageId(node.path("Id").asText());
            if (images.contains(id)) {
                continue;
            }
            JsonNode list;
            try {
                list = api.get(op, "/libpod/manifests/" + id.hex() + "/json");
            } catch (GantryException notAList) {
                continue; // hidden from the compatible listing for another reason
            }
            if (!list.path("manifests").isArray()) {
                continue;
            }
            lists.add(new ManifestList(id, EngineJson.repoTags(node), digest(node.path("Digest").asText()),
                    list.path("mediaType").asText(""), EngineJson.epochSeconds(node.path("Created")),
                    entries(list)));
        }
        return lists;
    }

    private static List<ManifestList.Entry> entries(JsonNode list) {
        List<ManifestList.Entry> entries = new ArrayList<>();
        for (JsonNode manifest : list.path("manifests")) {
            Optional<Digest> digest = digest(manifest.path("digest").asText());
            if (digest.isEmpty()) {
                continue;
            }
            JsonNode p = manifest.path("platform");
            Optional<Platform> platform = p.path("os").asText("").isEmpty() || p.path("architecture").asText("").isEmpty()
                    ? Optional.empty()
                    : Optional.of(new Platform(p.path("os").asText(), p.path("architecture").asText(),
                            optional(p.path("variant")), optional(p.path("os.version"))));
            entries.add(new ManifestList.Entry(digest.get(), manifest.path("mediaType").asText(""),
                    manifest.path("size").asLong(), platform));
        }
        return entries;
    }

    private static Optional<String> optional(JsonNode node) {
        String text = node.asText("");
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static Optional<Digest> digest(String text) {
        try {
            return text.isEmpty() ? Optional.empty() : Optional.of(Digest.of(text));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }
}
