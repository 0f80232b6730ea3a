package io.gantry.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.gantry.core.Digest;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.service.DockerImageView;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code --format json}: records as JSON objects, digests, references and platforms as their
 * usual strings, times as ISO-8601, one document per command, pretty-printed.
 */
final class CliJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule("gantry")
                    .addSerializer(Digest.class, new AsString<>(Digest.class))
                    .addSerializer(ImageReference.class, new AsString<>(ImageReference.class))
                    .addSerializer(Platform.class, new AsString<>(Platform.class))
                    .addSerializer(DockerImageView.Nil.class, new AsNull()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // an empty array as docker prints it ("[]", as `docker image inspect nosuch` does), not Jackson's "[ ]"
            .setDefaultPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withArrayEmptySeparator("").withObjectEmptySeparator("")));

    private CliJson() {
    }

    static void print(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** One line of JSON, as Go's {@code json} template function writes it. */
    static String compact(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    private static final class AsNull extends StdSerializer<DockerImageView.Nil> {
        AsNull() {
            super(DockerImageView.Nil.class);
        }

        @Override
        public void serialize(DockerImageView.Nil value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeNull();
        }
    }

    private static final class AsString<T> extends StdSerializer<T> {
        AsString(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }
}
