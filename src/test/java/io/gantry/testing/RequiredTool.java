package io.gantry.testing;

/**
 * A program the test peers need, with the Debian package that provides it.
 *
 * <p>The package name is what a person needs when the program is missing, so it is part of the
 * value rather than looked up: {@link #missingMessage()} is the one sentence a failed test shows.
 *
 * @param command the executable's file name, looked up on the search path
 * @param debianPackage the Debian package that installs it
 */
public record RequiredTool(String command, String debianPackage) {

    /** The CNCF distribution registry ({@code docker-registry serve config.yml}). */
    public static final RequiredTool DOCKER_REGISTRY = new RequiredTool("docker-registry", "docker-registry");
    /** The Docker engine daemon. */
    public static final RequiredTool DOCKERD = new RequiredTool("dockerd", "docker.io");
    /** The Docker command-line client, run against the private daemon only. */
    public static final RequiredTool DOCKER = new RequiredTool("docker", "docker.io");
    /** Podman, run as a private rootful service ({@code podman system service}) and as its remote client. */
    public static final RequiredTool PODMAN = new RequiredTool("podman", "podman");
    /** containerd, run as a private daemon with the CRI plugin on a socket of its own. */
    public static final RequiredTool CONTAINERD = new RequiredTool("containerd", "containerd");
    /** containerd's own client, run against the private daemon only (to compare with what Gantry shows). */
    public static final RequiredTool CTR = new RequiredTool("ctr", "containerd");
    /** The OCI runtime containerd's shim runs containers with. */
    public static final RequiredTool RUNC = new RequiredTool("runc", "runc");
    /** A statically linked busybox, copied into {@code FROM scratch} images that must run. */
    public static final RequiredTool BUSYBOX = new RequiredTool("busybox", "busybox-static");

    /** What a test says when this tool is missing: the command that installs it. */
    public String missingMessage() {
        return command + " not found: apt-get install -y " + debianPackage
                + " (or run ./test.sh, which installs it)";
    }
}
