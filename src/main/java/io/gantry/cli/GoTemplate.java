package io.gantry.cli;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.service.DockerImageView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Go's text/template that {@code docker … --format} is mostly used with: plain text
 * and actions {@code {{.}}}, {@code {{.Field.Path}}}, {@code {{json .Path}}},
 * {@code {{join .Path "SEP"}}}, {@code {{index .Path "KEY"}}}, and a pipe into {@code json}
 * ({@code {{.Path | json}}}). Values print as Go prints them: lists as {@code [a b]}, maps as
 * {@code map[k:v]}. Anything else is refused with a message saying what is supported.
 */
final class GoTemplate {

    static final String SUPPORTED = "--format supports text with {{.Field.Path}}, {{json .Path}}, {{.Path | json}}, "
            + "{{join .Path \"SEP\"}} and {{index .Path \"KEY\"}} (a subset of Go templates)";

    private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}");
    private static final Pattern PATH = Pattern.compile("\\.|(\\.[A-Za-z_][A-Za-z0-9_]*)+");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final List<Object> parts;

    private GoTemplate(List<Object> parts) {
        this.parts = parts;
    }

    /** An action: a function (or none) applied to a path, with a string argument for join/index. */
    private record Action(String function, String path, String argument, String text) {
    }

    static GoTemplate parse(String template) {
        List<Object> parts = new ArrayList<>();
        Matcher m = ACTION.matcher(template);
        int at = 0;
        while (m.find()) {
            parts.add(unescape(template.substring(at, m.start())));
            parts.add(action(m.group(1), m.group()));
            at = m.end();
        }
        String rest = template.substring(at);
        if (rest.contains("{{") || rest.contains("}}")) {
            throw bad("unbalanced braces in " + template);
        }
        parts.add(unescape(rest));
        return new GoTemplate(parts);
    }

    private static String unescape(String text) {
        return text.replace("\\n", "\n").replace("\\t", "\t");
    }

    private static Action action(String body, String text) {
        String[] pipe = body.split("\\s*\\|\\s*");
        if (pipe.length == 2 && pipe[1].equals("json") && PATH.matcher(pipe[0]).matches()) {
            return new Action("json", pipe[0], null, text);
        }
        if (pipe.length != 1) {
            throw bad("unsupported action " + text);
        }
        String[] words = body.split("\\s+", 3);
        if (words.length == 1 && PATH.matcher(words[0]).matches()) {
            return new Action("", words[0], null, text);
        }
        if (words.length == 2 && words[0].equals("json") && PATH.matcher(words[1]).matches()) {
            return new Action("json", words[1], null, text);
        }
        if (words.length == 3 && (words[0].equals("join") || words[0].equals("index"))
                && PATH.matcher(words[1]).matches()) {
            Matcher quoted = QUOTED.matcher(words[2]);
            if (quoted.matches()) {
                return new Action(words[0], words[1], quoted.group(1).replace("\\\"", "\"")
                        .replace("\\n", "\n").replace("\\t", "\t"), text);
            }
        }
        throw bad("unsupported action " + text);
    }

    private static GantryException bad(String what) {
        return new GantryException(ErrorKind.INVALID_INPUT, "--format", what, null, 0, SUPPORTED + ".", null);
    }

    /** The template applied to {@code value} (maps, lists, strings, numbers, booleans, {@link DockerImageView.Nil}). */
    String apply(Object value) {
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof String text) {
                out.append(text);
                continue;
            }
            Action action = (Action) part;
            Object selected = select(value, action);
            switch (action.function()) {
                case "json" -> out.append(CliJson.compact(selected));
                case "join" -> {
                    if (!(selected instanceof List<?> list) && selected != DockerImageView.Nil.LIST) {
                        throw bad(action.text() + ": join needs a list, " + action.path() + " is not one");
                    }
                    List<?> items = selected instanceof List<?> list ? list : List.of();
                    out.append(String.join(action.argument(), items.stream().map(GoTemplate::go).toList()));
                }
                case "index" -> {
                    if (!(selected instanceof Map<?, ?> map) && selected != DockerImageView.Nil.MAP) {
                        throw bad(action.text() + ": index needs a map, " + action.path() + " is not one");
                    }
                    Object item = selected instanceof Map<?, ?> map ? map.get(action.argument()) : null;
                    out.append(item == null ? "<no value>" : go(item));
                }
                default -> out.append(go(selected));
            }
        }
        return out.toString();
    }

    private static Object select(Object value, Action action) {
        Object current = value;
        if (action.path().equals(".")) {
            return current;
        }
        StringBuilder walked = new StringBuilder();
        for (String field : action.path().substring(1).split("\\.")) {
            walked.append('.').append(field);
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(field)) {
                String known = current instanceof Map<?, ?> map ? " (here: " + String.join(", ",
                        map.keySet().stream().map(String::valueOf).toList()) + ")" : "";
                throw new GantryException(ErrorKind.INVALID_INPUT, "--format", "no field " + walked + known,
                        null, 0, SUPPORTED + ".", null);
            }
            current = map.get(field);
        }
        return current;
    }

    /** How Go's fmt prints a value with %v. */
    static String go(Object value) {
        if (value == null) {
            return "<nil>";
        }
        if (value instanceof DockerImageView.Nil nil) {
            return nil.goText();
        }
        if (value instanceof List<?> list) {
            return "[" + String.join(" ", list.stream().map(GoTemplate::go).toList()) + "]";
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("map[");
            boolean first = true;
            for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                out.append(first ? "" : " ").append(e.getKey()).append(':').append(go(e.getValue()));
                first = false;
            }
            return out.append(']').toString();
        }
        return String.valueOf(value);
    }
}
