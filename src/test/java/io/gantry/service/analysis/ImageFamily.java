package io.gantry.service.analysis;

import io.gantry.engine.ImageLayer;

import io.gantry.core.Digest;
import java.util.List;

/**
 * A small family of images used by the sharing, tree and reclaim tests.
 *
 * <pre>
 * L1(100) ── base
 *   └ L2(20) ── app1, app1b (same layers, different config)
 *       └ L3(5) ── app2
 * L4(7)
 *   ├ L2(20) ── other   (same diff ID as app1's L2, different stack: not shared)
 *   └ L3(5)  ── dangling (untagged)
 * (no layers) ── empty
 * </pre>
 */
final class ImageFamily {

    static final ImageLayer L1 = layer("l1", 100);
    static final ImageLayer L2 = layer("l2", 20);
    static final ImageLayer L3 = layer("l3", 5);
    static final ImageLayer L4 = layer("l4", 7);

    static final ImageLayers BASE = image("base", List.of("base:1"), L1);
    static final ImageLayers APP1 = image("app1", List.of("app:1"), L1, L2);
    static final ImageLayers APP1B = image("app1b", List.of("app:1-relabelled"), L1, L2);
    static final ImageLayers APP2 = image("app2", List.of("app:2", "registry.local:5000/app:2"), L1, L2, L3);
    static final ImageLayers OTHER = image("other", List.of("other:latest"), L4, L2);
    static final ImageLayers DANGLING = image("dangling", List.of(), L4, L3);
    static final ImageLayers EMPTY = image("empty", List.of("scratch-meta:1"));

    static final List<ImageLayers> ALL = List.of(BASE, APP1, APP1B, APP2, OTHER, DANGLING, EMPTY);

    private ImageFamily() {
    }

    static Digest id(String name) {
        return Digest.sha256("image " + name);
    }

    static ImageLayer layer(String name, long size) {
        Digest diff = Digest.sha256("layer " + name);
        return new ImageLayer(diff, Digest.sha256("blob " + name), size, "RUN make " + name);
    }

    static ImageLayers image(String name, List<String> tags, ImageLayer... layers) {
        return new ImageLayers(id(name), tags, List.of(layers));
    }
}
