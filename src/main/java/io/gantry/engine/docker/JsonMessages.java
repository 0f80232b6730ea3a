package io.gantry.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.GantryException;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one reader of the engine's JSON message streams (moby's {@code jsonmessage}): the bodies of
 * {@code POST /images/create} (pull), {@code /images/{name}/push} and {@code /images/load}. Each
 * object is handed over as it arrives; the first that carries {@code error} or
 * {@code errorDetail} ends the stream as the caller's exception. Every message is bounded in size
 * by the {@link MessageBoundedStream} it is read from.
 */
final class JsonMessages {

    /**
     * A failure the engine wrote into the stream.
     *
     * @param message {@code errorDetail.message}, else {@code error}, else the caller's fallback
     * @param code    {@code errorDetail.code} (an HTTP status), 0 when the engine gave none
     */
    record StreamError(String message, int code) {
    }

    private JsonMessages() {
    }

    /**
     * Reads {@code body} to its end, or until {@code stop} says so (checked before each message).
     *
     * @param fallback the words for an error message without any ("pull failed")
     * @param failure  turns the engine's error into the exception thrown
     * @param each     called with every other message, in order
     */
    static void read(ObjectMapper json, MessageBoundedStream body, BooleanSupplier stop, String fallback,
                     Function<StreamError, GantryException> failure, Consumer<JsonNode> each) throws IOException {
        try (MappingIterator<JsonNode> messages = json.readerFor(JsonNode.class).readValues(body)) {
            while (!stop.getAsBoolean() && messages.hasNextValue()) {
                JsonNode message = messages.nextValue();
                body.nextMessage();
                if (message.has("error") || message.has("errorDetail")) {
                    JsonNode detail = message.path("errorDetail");
                    throw failure.apply(new StreamError(detail.path("message").asText(message.path("error").asText(fallback)),
                            detail.path("code").asInt(0)));
                }
                each.accept(message);
            }
        }
    }
}
