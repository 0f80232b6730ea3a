package io.gantry.ui;

import io.gantry.engine.ImageSummary;
import java.util.function.Predicate;

/** The quick filters above the images table. */
public enum ImageFilter {
    ALL("All", image -> true),
    IN_USE("In use", image -> image.containers() > 0),
    UNUSED("Unused", image -> image.containers() == 0),
    DANGLING("Dangling", ImageSummary::dangling);

    private final String label;
    private final Predicate<ImageSummary> test;

    ImageFilter(String label, Predicate<ImageSummary> test) {
        this.label = label;
        this.test = test;
    }

    public String label() {
        return label;
    }

    public boolean test(ImageSummary image) {
        return test.test(image);
    }
}
