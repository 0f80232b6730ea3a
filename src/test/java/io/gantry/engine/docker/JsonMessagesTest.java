package io.gantry.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonMessages}, the one reader of the engine's pull, push and load streams, on stream
 * bodies written as dockerd writes them (objects back to back, with and without newlines).
 */
class JsonMessagesTest {

    private final ObjectMapper json = new ObjectMapper();

    private static MessageBoundedStream body(String text, long limit) {
        return new MessageBoundedStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), limit);
    }

    private List<String> statuses(String text) throws IOException {
        List<String> seen = new ArrayList<>();
        JsonMessages.read(json, body(text, 1024), () -> false, "failed",
                e -> new GantryException(ErrorKind.INTERNAL, "test", e.message()), m -> seen.add(m.path("status").asText()));
        return seen;
    }

    @Test
    void everyMessageIsHandedOverInOrderWhetherOrNotNewlinesSeparateThem() throws IOException {
        assertThat(statuses("{\"status\":\"Preparing\",\"id\":\"a\"}\r\n{\"status\":\"Pushed\",\"id\":\"a\"}\n"))
                .containsExactly("Preparing", "Pushed");
        assertThat(statuses("{\"status\":\"one\"}{\"status\":\"two\"}")).containsExactly("one", "two");
        assertThat(statuses("")).isEmpty();
    }

    @Test
    void theFirstErrorEndsTheStreamWithItsDetailOrItsTextOrTheFallback() {
        List<JsonMessages.StreamError> errors = new ArrayList<>();
        for (String stream : List.of(
                "{\"status\":\"x\"}{\"errorDetail\":{\"code\":401,\"message\":\"unauthorized: login\"},\"error\":\"other\"}{\"status\":\"late\"}",
                "{\"error\":\"no basic auth credentials\"}",
                "{\"errorDetail\":{}}")) {
            List<String> seen = new ArrayList<>();
            assertThatThrownBy(() -> JsonMessages.read(json, body(stream, 1024), () -> false, "push failed", e -> {
                errors.add(e);
                return new GantryException(ErrorKind.UNAVAILABLE, "push", e.message());
            }, m -> seen.add(m.path("status").asText()))).isInstanceOf(GantryException.class);
            assertThat(seen).doesNotContain("late");
        }
        assertThat(errors).containsExactly(new JsonMessages.StreamError("unauthorized: login", 401),
                new JsonMessages.StreamError("no basic auth credentials", 0), new JsonMessages.StreamError("push failed", 0));
    }

    @Test
    void aStopRequestEndsTheReadingBeforeTheNextMessage() throws IOException {
        List<String> seen = new ArrayList<>();
        JsonMessages.read(json, body("{\"status\":\"one\"}{\"status\":\"two\"}{\"status\":\"three\"}", 1024),
                () -> seen.size() >= 2, "failed", e -> new GantryException(ErrorKind.INTERNAL, "test", e.message()),
                m -> seen.add(m.path("status").asText()));
        assertThat(seen).containsExactly("one", "two");
    }

    @Test
    void aMessageLargerThanTheBoundIsRefused() {
        String huge = "{\"status\":\"" + "x".repeat(200_000) + "\"}"; // past the bound and the parser's read-ahead
        assertThatThrownBy(() -> JsonMessages.read(json, body(huge, 1024), () -> false, "failed",
                e -> new GantryException(ErrorKind.INTERNAL, "test", e.message()), m -> { }))
                .isInstanceOf(IOException.class);
    }
}
