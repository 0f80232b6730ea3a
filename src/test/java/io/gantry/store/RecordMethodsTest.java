package io.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.ImageReference;
import io.gantry.core.MediaTypes;
import io.gantry.core.Platform;
import io.gantry.registry.ManifestCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The records a cold pull compares, hashes or prints have {@code equals}, {@code hashCode} and
 * {@code toString} written out (a record's generated ones are linked at their first call through
 * {@code java.lang.runtime.ObjectMethods}, method handles spun at run time in every cold JVM;
 * docs/benchmarks.md, PullBenchmark). This keeps them written out, and keeps them giving what the
 * generated ones give: each is compared with a record of the same components.
 */
class RecordMethodsTest {

    /** The records on a pull's path; one that goes back to the generated methods names ObjectMethods again. */
    private static final List<Class<?>> WRITTEN_OUT = List.of(Digest.class, ImageReference.class, Descriptor.class,
            ImageName.class, IndexEntry.class);

    @Test
    void noRecordOnThePullPathLinksObjectMethods() throws IOException {
        for (Class<?> type : WRITTEN_OUT) {
            assertThat(type.isRecord()).as(type.getName()).isTrue();
            String name = type.getName().replace('.', '/') + ".class";
            try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
                assertThat(in).as(name).isNotNull();
                assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                        .as(type.getName() + "'s constant pool").doesNotContain("java/lang/runtime/ObjectMethods");
            }
        }
    }

    record SameAsDescriptor(String mediaType, Digest digest, long size, Optional<Platform> platform,
                            Map<String, String> annotations, List<String> urls) {
    }

    record SameAsImageName(String raw, Optional<ImageReference> reference) {
    }

    record SameAsIndexEntry(Descriptor descriptor, ObjectNode json) {
    }

    @Test
    void descriptorBehavesAsTheGeneratedMethodsWould() {
        Digest digest = Digest.sha256("layer");
        Descriptor a = new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, 1L << 35, Optional.of(Platform.of("linux", "arm64", "v8")),
                Map.of("k", "v"), List.of("https://example.com/blob"));
        SameAsDescriptor same = new SameAsDescriptor(a.mediaType(), a.digest(), a.size(), a.platform(), a.annotations(), a.urls());
        assertThat(a.hashCode()).isEqualTo(same.hashCode());
        assertThat(a.toString()).isEqualTo(same.toString().replaceFirst("^SameAsDescriptor", "Descriptor"));
        assertThat(a).isEqualTo(new Descriptor(a.mediaType(), a.digest(), a.size(), a.platform(), Map.of("k", "v"),
                List.of("https://example.com/blob")));
        assertThat(a).isNotEqualTo(Descriptor.of(a.mediaType(), a.digest(), a.size()));
        assertThat(a).isNotEqualTo(new Descriptor(a.mediaType(), a.digest(), a.size() + 1, a.platform(), a.annotations(), a.urls()));
        assertThat(a).isNotEqualTo(new Descriptor(MediaTypes.DOCKER_MANIFEST, a.digest(), a.size(), a.platform(), a.annotations(),
                a.urls()));
        assertThat(a).isNotEqualTo(new Descriptor(a.mediaType(), Digest.sha256("other"), a.size(), a.platform(), a.annotations(),
                a.urls()));
        assertThat(a).isNotEqualTo(new Descriptor(a.mediaType(), a.digest(), a.size(), a.platform(), Map.of(), a.urls()));
        assertThat(a).isNotEqualTo(new Descriptor(a.mediaType(), a.digest(), a.size(), a.platform(), a.annotations(), List.of()));
        assertThat(a).isNotEqualTo(null).isNotEqualTo(same);
    }

    @Test
    void imageNameBehavesAsTheGeneratedMethodsWould() {
        for (ImageName name : List.of(ImageName.parse("docker.io/library/alpine:3.20"), ImageName.parse("latest"))) {
            SameAsImageName same = new SameAsImageName(name.raw(), name.reference());
            assertThat(name.hashCode()).isEqualTo(same.hashCode());
            assertThat(name.toString()).isEqualTo(same.toString().replaceFirst("^SameAsImageName", "ImageName"));
            assertThat(name).isEqualTo(ImageName.parse(name.raw())).isNotEqualTo(same);
        }
        assertThat(ImageName.parse("alpine:3.20")).isNotEqualTo(ImageName.parse("docker.io/library/alpine:3.20"));
        assertThat(new ImageName("alpine", Optional.empty())).isNotEqualTo(ImageName.parse("alpine:latest"));
    }

    @Test
    void indexEntryBehavesAsTheGeneratedMethodsWould() {
        Descriptor descriptor = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256("manifest"), 512);
        IndexEntry entry = IndexEntry.of(descriptor);
        SameAsIndexEntry same = new SameAsIndexEntry(entry.descriptor(), entry.json());
        assertThat(entry.hashCode()).isEqualTo(same.hashCode());
        assertThat(entry.toString()).isEqualTo(same.toString().replaceFirst("^SameAsIndexEntry", "IndexEntry"));
        assertThat(entry).isEqualTo(new IndexEntry(descriptor, ManifestCodec.descriptorJson(descriptor)));
        ObjectNode other = ManifestCodec.descriptorJson(descriptor).put("x-extra", "kept");
        assertThat(entry).isNotEqualTo(new IndexEntry(descriptor, other));
        assertThat(new IndexEntry(descriptor, null)).isEqualTo(new IndexEntry(descriptor, null))
                .hasSameHashCodeAs(new SameAsIndexEntry(descriptor, null)).isNotEqualTo(entry);
        assertThat(entry).isNotEqualTo(IndexEntry.of(Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256("other"), 512)));
    }
}
