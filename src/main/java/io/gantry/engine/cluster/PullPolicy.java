package io.gantry.engine.cluster;

import java.util.Arrays;
import java.util.Optional;

/** A container's (or image volume's) {@code imagePullPolicy}, spelled as Kubernetes spells it. */
public enum PullPolicy {
    ALWAYS("Always"), IF_NOT_PRESENT("IfNotPresent"), NEVER("Never");

    private final String spelling;

    PullPolicy(String spelling) {
        this.spelling = spelling;
    }

    /** The policy as written in a manifest; empty for a blank or unknown value. */
    public static Optional<PullPolicy> parse(String text) {
        return text == null ? Optional.empty()
                : Arrays.stream(values()).filter(p -> p.spelling.equals(text.trim())).findFirst();
    }

    @Override
    public String toString() {
        return spelling;
    }
}
