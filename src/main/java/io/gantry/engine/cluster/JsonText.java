package io.gantry.engine.cluster;

/**
 * A string as a JSON string literal, which is also a YAML double-quoted scalar: for the pull
 * secret's data and the YAML previews written here.
 */
final class JsonText {

    private JsonText() {
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
