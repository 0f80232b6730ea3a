package io.gantry.service;

import io.gantry.core.Cancellation;
import io.gantry.core.Descriptor;
import io.gantry.core.Digest;
import io.gantry.core.GantryException;
import io.gantry.core.ImageReference;
import io.gantry.core.InvalidReferenceException;
import io.gantry.engine.ImageSummary;
import io.gantry.registry.RegistryClient;
import io.gantry.registry.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds local tags whose image has changed in the registry: for each {@code repository:tag} with
 * a repository digest, one manifest HEAD request (never a download), compared with the digests
 * the image was pulled as. Requests go one at a time with a pause between them, so a long list
 * never floods a registry; a tag that cannot be checked (built locally, registry unreachable,
 * unauthorized) is {@link Status#UNKNOWN}, never an error.
 */
public final class UpdateCheck {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateCheck.class);

    /** What the check found for one tag. */
    public enum Status { UP_TO_DATE, UPDATE_AVAILABLE, UNKNOWN }

    /**
     * The outcome for one tag.
     *
     * @param repoTag the local tag as the images table shows it ({@code demo/web:1.1})
     * @param status  what was found
     * @param remote  the digest the registry has now, when it answered
     * @param why     for {@link Status#UNKNOWN}, why the tag could not be compared; empty otherwise
     */
    public record Result(String repoTag, Status status, Optional<Digest> remote, String why) {
        public Result {
            Objects.requireNonNull(repoTag, "repoTag");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(remote, "remote");
            Objects.requireNonNull(why, "why");
        }

        static Result unknown(String repoTag, String why) {
            return new Result(repoTag, Status.UNKNOWN, Optional.empty(), why);
        }
    }

    /** Why a tag without a digest from its registry cannot be compared. */
    public static final String NOT_FROM_A_REGISTRY =
            "not pulled or pushed by this name (built, loaded, copied or tagged here): no registry digest to compare";

    private final Supplier<RegistryClient> client;
    private final Sleeper sleeper;
    private final Duration spacing;

    /**
     * @param spacing the pause between two HEAD requests
     */
    public UpdateCheck(RegistryClient client, Sleeper sleeper, Duration spacing) {
        this(constant(client), sleeper, spacing);
    }

    /** As above, with a client built on first use (on the check's background thread). */
    public UpdateCheck(Supplier<RegistryClient> client, Sleeper sleeper, Duration spacing) {
        this.client = Objects.requireNonNull(client, "client");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.spacing = Objects.requireNonNull(spacing, "spacing");
    }

    private static Supplier<RegistryClient> constant(RegistryClient client) {
        Objects.requireNonNull(client, "client");
        return () -> client;
    }

    /** Checks one tag of an image. */
    public Result check(String repoTag, ImageSummary image, Cancellation cancellation) {
        ImageReference reference;
        try {
            reference = ImageReference.parse(repoTag);
        } catch (InvalidReferenceException e) {
            return Result.unknown(repoTag, "not a registry reference: " + e.getMessage());
        }
        List<Digest> local = localDigests(reference, image);
        if (local.isEmpty()) {
            return Result.unknown(repoTag, NOT_FROM_A_REGISTRY);
        }
        try {
            Optional<Digest> remote = client.get().headManifest(reference, cancellation).map(Descriptor::digest);
            if (remote.isEmpty()) {
                return Result.unknown(repoTag, "the registry has no such tag any more");
            }
            return new Result(repoTag, local.contains(remote.get()) ? Status.UP_TO_DATE : Status.UPDATE_AVAILABLE, remote, "");
        } catch (GantryException e) {
            if (cancellation.isCancelled()) {
                throw e;
            }
            LOG.debug("update check of {}: {}", repoTag, e.describe());
            return Result.unknown(repoTag, "the registry could not be asked: " + e.getMessage());
        }
    }

    /**
     * Checks every tag of {@code images}, one HEAD request at a time with {@code spacing} between
     * them, handing each result to {@code onResult} as it comes. Stops when cancelled.
     */
    public void checkAll(List<ImageSummary> images, Consumer<Result> onResult, Cancellation cancellation) {
        boolean first = true;
        for (ImageSummary image : images) {
            for (String repoTag : image.repoTags()) {
                if (cancellation.isCancelled()) {
                    return;
                }
                if (!first) {
                    try {
                        sleeper.sleep(spacing, cancellation);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    if (cancellation.isCancelled()) {
                        return;
                    }
                }
                first = false;
                onResult.accept(check(repoTag, image, cancellation));
            }
        }
    }

    /** The digests the image was pulled or pushed as in {@code reference}'s repository. */
    static List<Digest> localDigests(ImageReference reference, ImageSummary image) {
        return image.repoDigests().stream().flatMap(text -> {
            try {
                ImageReference pulled = ImageReference.parse(text);
                return pulled.repo().equals(reference.repo()) ? pulled.digest().stream() : java.util.stream.Stream.empty();
            } catch (InvalidReferenceException e) {
                return java.util.stream.Stream.empty();
            }
        }).toList();
    }
}
