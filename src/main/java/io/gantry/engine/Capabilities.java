package io.gantry.engine;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import java.util.EnumSet;
import java.util.Set;

/**
 * What an endpoint can do, so the window and the command line offer an action only where it works
 * (they never ask which kind of endpoint it is). A port method whose capability an endpoint lacks
 * fails with {@code INVALID_INPUT} naming the endpoint, never silently.
 *
 * @param supported every capability the endpoint has
 */
public record Capabilities(Set<Capability> supported) {

    /** One thing an endpoint may be able to do. */
    public enum Capability {
        /** Runs containers: {@link ImageStore#containers()} can be non-empty, and images can be in use. */
        CONTAINERS,
        /** {@link ImageStore#removeContainers}: removes stopped containers, never a running one. */
        REMOVE_CONTAINERS,
        /** Keeps parent links between images (builds, commits): {@link ImageStore#children} can be non-empty. */
        PARENT_IMAGES,
        /** {@link ImageStore#tag}: gives an image another name. */
        TAG,
        /** {@link ImageStore#push}: pushes an image to a registry. */
        PUSH,
        /** {@link ImageStore#export}: the image as a {@code docker save} stream. */
        EXPORT,
        /** {@link ImageStore#save}: images into a docker save or OCI archive file. */
        SAVE,
        /** {@link ImageStore#load}: images from an archive. */
        LOAD,
        /** {@link ImageStore#verify}: checks every stored blob, like {@code git fsck}. */
        VERIFY,
        /** {@link ImageStore#openLayer}: reads a layer's stored blob directly. */
        LAYER_BLOBS,
        /** {@link ImageStore#subscribe} reports changes made by anyone (another process too). */
        EVENTS,
        /** Images live in namespaces (containerd). */
        NAMESPACES,
        /** {@link ImageStore#nodeImageCache()}: a Kubernetes node's image cache through the CRI. */
        NODE_IMAGES,
        /**
         * A delete names the layers it frees after the image ({@code Deleted: <chain ID>} from moby,
         * {@code Deleted: <blob>} from the embedded store); Podman names only the image, so its
         * previews list no layer lines.
         */
        LAYER_LINES,
        /**
         * A forced delete also removes the containers using the image, running ones too (Podman's
         * {@code rmi -f}). Gantry's plans refuse a forced delete of an image a running container
         * uses or other images are built on there, and say which stopped containers go with it.
         */
        FORCE_REMOVES_CONTAINERS,
        /** {@link ImageStore#prune} with {@code dryRun}: exactly what a prune would remove. */
        PRUNE_PREVIEW,
        /**
         * A separate process reached over a socket: it can stop answering and come back, and has
         * a version to show ({@link ImageStore#info()}). Without it the endpoint is this process's own.
         */
        DAEMON
    }

    public Capabilities {
        supported = supported.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(supported));
    }

    public static Capabilities of(Capability... capabilities) {
        return new Capabilities(Set.of(capabilities));
    }

    public boolean has(Capability capability) {
        return supported.contains(capability);
    }

    public boolean containers() {
        return has(Capability.CONTAINERS);
    }

    public boolean parentImages() {
        return has(Capability.PARENT_IMAGES);
    }

    public boolean tag() {
        return has(Capability.TAG);
    }

    public boolean push() {
        return has(Capability.PUSH);
    }

    public boolean export() {
        return has(Capability.EXPORT);
    }

    public boolean events() {
        return has(Capability.EVENTS);
    }

    public boolean namespaces() {
        return has(Capability.NAMESPACES);
    }

    public boolean prunePreview() {
        return has(Capability.PRUNE_PREVIEW);
    }

    public boolean layerBlobs() {
        return has(Capability.LAYER_BLOBS);
    }

    public boolean daemon() {
        return has(Capability.DAEMON);
    }

    /**
     * Fails with {@code INVALID_INPUT} unless {@code endpoint} has {@code needed}: "docker (default)
     * cannot verify", with what to do instead.
     */
    public void require(Capability needed, Endpoint endpoint, String operation) {
        if (!has(needed)) {
            throw unsupported(endpoint, operation);
        }
    }

    /** The error of a port method an endpoint does not offer. */
    public static GantryException unsupported(Endpoint endpoint, String operation) {
        return new GantryException(ErrorKind.INVALID_INPUT, operation, endpoint.name() + " cannot " + operation,
                null, 0, "Choose an endpoint that can (gantry endpoints lists them), or use that endpoint's own tool.",
                null);
    }
}
