package io.gantry.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The platform an image is for, as in an image config and an index entry: {@code linux/amd64},
 * {@code linux/arm64/v8}.
 */
public record ImagePlatform(String os, String architecture, Optional<String> variant) {

    public static final ImagePlatform LINUX_AMD64 = parse("linux/amd64");

    /** Parses {@code os/architecture[/variant]}. */
    public static ImagePlatform parse(String text) {
        String[] parts = text.split("/");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("a platform is os/architecture[/variant], not " + text);
        }
        return new ImagePlatform(parts[0], parts[1], parts.length == 3 ? Optional.of(parts[2]) : Optional.empty());
    }

    /** The {@code platform} object of an index entry. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("architecture", architecture);
        json.put("os", os);
        variant.ifPresent(v -> json.put("variant", v));
        return json;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }
}
