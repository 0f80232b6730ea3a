package io.gantry.registry;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Small fixtures and fakes shared by the registry tests. */
final class TestSupport {

    static final Cancellation NONE = Cancellation.none();

    private TestSupport() {
    }

    /** Records the waits instead of spending them. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> waits = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration duration, Cancellation cancellation) {
            waits.add(duration);
        }
    }

    static final byte[] CONFIG = """
            {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["sh"]},\
            "rootfs":{"type":"layers","diff_ids":[]}}""".getBytes(StandardCharsets.UTF_8);

    static Descriptor configDescriptor() {
        return Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(CONFIG), CONFIG.length);
    }

    /** An OCI manifest with the given layers (their descriptors written as given). */
    static byte[] ociManifest(Descriptor... layers) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",");
        json.append("\"config\":").append(descriptorJson(configDescriptor())).append(",\"layers\":[");
        for (int i = 0; i < layers.length; i++) {
            json.append(i > 0 ? "," : "").append(descriptorJson(layers[i]));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static String descriptorJson(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }

    static byte[] bytes(int size, int seed) {
        byte[] data = new byte[size];
        long x = seed * 2654435761L + 1;
        for (int i = 0; i < size; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            data[i] = (byte) (x >>> 56);
        }
        return data;
    }

    static Descriptor layer(byte[] content) {
        return Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(content), content.length);
    }
}
