package io.gantry.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The one sanitizer for text that came from a peer (a registry, an engine, an archive) before it is
 * shown in a table, a message or the window: peers' words are data, not commands. It removes
 * terminal escape sequences and every control character (a hostile tag or error once cleared the
 * screen and set the window title), and replaces every credential Gantry has sent
 * ({@link #rememberSecret}) with {@code [redacted]} (a registry that echoed the
 * {@code Authorization} header got base64(user:password) printed).
 */
public final class PeerText {

    /** CSI, OSC and other ESC sequences, then any remaining C0/C1 control character or DEL. */
    private static final Pattern ESCAPES = Pattern.compile(
            "\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|\u001B[@-Z\\\\-_]|\u009B[0-?]*[ -/]*[@-~]");
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    /** Secrets shorter than this are not redacted (a one-letter password would blank every message). */
    private static final int MIN_SECRET = 4;

    private PeerText() {
    }

    /**
     * Remembers a credential Gantry sends (an {@code Authorization} header value, a password, a
     * token) so that any text shown later has it, its base64 and its header value removed.
     */
    public static void rememberSecret(String secret) {
        if (secret == null) {
            return;
        }
        String value = secret.strip();
        int space = value.indexOf(' ');
        if (space > 0 && (value.regionMatches(true, 0, "Basic ", 0, 6) || value.regionMatches(true, 0, "Bearer ", 0, 7))) {
            String credential = value.substring(space + 1).strip();
            add(credential);
            if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(credential), StandardCharsets.UTF_8);
                    add(decoded);
                    int colon = decoded.indexOf(':');
                    if (colon >= 0) {
                        add(decoded.substring(colon + 1));
                    }
                } catch (IllegalArgumentException notBase64) {
                    // nothing more to derive
                }
            }
        } else {
            add(value);
            add(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static void add(String secret) {
        if (secret.length() >= MIN_SECRET) {
            SECRETS.add(secret);
        }
    }

    /** {@code text} without escape sequences or control characters (a line break becomes a space), secrets redacted. */
    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        String result = redact(text);
        if (noneUnsafe(result)) {
            return result; // the usual case: nothing to strip
        }
        result = ESCAPES.matcher(result).replaceAll("");
        StringBuilder out = new StringBuilder(result.length());
        result.codePoints().forEach(cp -> {
            if (cp == '\n' || cp == '\r' || cp == '\t') {
                out.append(' ');
            } else if (!isUnsafe(cp)) {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** Whether no character of {@code text} is {@link #isUnsafe} (a plain loop: a file list checks 100,000 paths). */
    private static boolean noneUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isUnsafe(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code cp} must not reach a terminal or a label: a C0 or C1 control character, DEL,
     * a line or paragraph separator, or a bidirectional override or isolate (they reorder what
     * follows, to disguise a name).
     */
    public static boolean isUnsafe(int cp) {
        return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029
                || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    }

    /** {@code text} with every remembered secret replaced by {@code [redacted]}. */
    public static String redact(String text) {
        if (text == null) {
            return "";
        }
        if (SECRETS.isEmpty()) {
            return text; // the usual case (no credential sent): not an iterator a line of a file list
        }
        String result = text;
        for (String secret : SECRETS) {
            if (result.contains(secret)) {
                result = result.replace(secret, "[redacted]");
            }
        }
        return result;
    }
}
