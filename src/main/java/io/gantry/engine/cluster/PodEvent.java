package io.gantry.engine.cluster;

import java.util.Objects;

/** An event about a pod, as the kubelet records it ({@code Failed}, {@code BackOff}, {@code Pulling}…), oldest first. */
public record PodEvent(String reason, String message, int count) {
    public PodEvent {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
