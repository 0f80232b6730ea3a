package io.gantry.service;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.ImageReference;
import io.gantry.core.Platform;
import io.gantry.engine.PushProgress;
import io.gantry.engine.PushProgress.Phase;
import io.gantry.engine.PushResult;
import io.gantry.registry.CopyEvent;
import io.gantry.registry.RegistryClient;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Copies an image from one registry to another, or within one ({@code gantry cp docker://A
 * docker://B}), with the registry client's {@link RegistryClient#copy}: the digest stays the same
 * (manifest bytes kept), a blob several images share is sent once, blobs are mounted within a
 * registry and streamed between registries. Progress is told in {@code docker push}'s words, one
 * row per layer ({@code Preparing}, {@code Pushing}, {@code Layer already exists},
 * {@code Mounted from …}, {@code Pushed}), then {@code TAG: digest: sha256:… size: N}.
 */
public final class RegistryCopy {

    private final Supplier<RegistryClient> client;

    /** @param client the registry client, built on first use */
    public RegistryCopy(Supplier<RegistryClient> client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Copies {@code source} to {@code target}: the whole index, or with {@code platform} only that
     * child of it (then the target names a single-platform image, the child's digest).
     *
     * @return the target's reference, the copied manifest's digest and size
     */
    public PushResult copy(ImageReference source, ImageReference target, Optional<Platform> platform,
                           Consumer<PushProgress> progress, Cancellation cancellation) {
        progress.accept(new PushProgress("", Phase.STATUS, 0, 0,
                "Copying " + source.familiar() + " to repository [" + target.repo() + "]"));
        String from = source.repository();
        Descriptor copied = client.get().copy(source, target, platform, event -> {
            if (event.layer()) {
                progress.accept(words(event, from));
            }
        }, cancellation);
        String name = target.tag().orElse(copied.digest().toString());
        progress.accept(new PushProgress("", Phase.DIGEST, 0, 0,
                name + ": digest: " + copied.digest() + " size: " + copied.size()));
        ImageReference named = target.tag().isPresent() ? target : target.repo().digest(copied.digest());
        return new PushResult(named.familiar(), copied.digest(), copied.size());
    }

    private static PushProgress words(CopyEvent event, String from) {
        String id = event.blob().digest().shortHex();
        long size = event.blob().size();
        return switch (event.step()) {
            case PREPARING -> new PushProgress(id, Phase.PREPARING, 0, 0, "Preparing");
            case PUSHING -> new PushProgress(id, Phase.PUSHING, event.sent(), size, "Pushing");
            case EXISTED -> new PushProgress(id, Phase.ALREADY_EXISTS, 0, 0, "Layer already exists");
            case MOUNTED -> new PushProgress(id, Phase.MOUNTED, 0, 0, "Mounted from " + from);
            case PUSHED -> new PushProgress(id, Phase.PUSHED, size, size, "Pushed");
        };
    }
}
