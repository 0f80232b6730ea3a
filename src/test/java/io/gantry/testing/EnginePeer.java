package io.gantry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A private Docker-compatible engine of the harness: {@link DockerdPeer} or {@link PodmanPeer}.
 * Both are driven through the docker CLI pointed at the engine's socket (for Podman that is its
 * Docker-compatible API, as a user's {@code docker} with {@code DOCKER_HOST} would reach it), so a
 * test written against this interface sets up the same images and containers on either.
 */
public interface EnginePeer extends Peer {

    /** Which engine it is. */
    enum Kind {
        DOCKERD, PODMAN;

        /** {@code dockerd} or {@code podman}, as test names show it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    Kind kind();

    /** {@code unix:///tmp/…/…sock}: the value for {@code DOCKER_HOST} or a client's host. */
    String host();

    Path socket();

    /** The engine's version, as {@code GET /version} reports it. */
    String version();

    /** {@code GET path} on the engine's API (HTTP/1.0 over the socket), e.g. {@code /version}. */
    default UnixSocketHttp.Response api(String path) {
        try {
            return UnixSocketHttp.get(socket(), path);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " on " + host() + " failed", e);
        }
    }

    /** The docker CLI against this engine only. */
    DockerCli cli();

    /** Runs the docker CLI against this engine only; returns the result whether it failed or not. */
    default CommandResult docker(String... args) {
        return cli().run(args);
    }

    /** Runs the docker CLI against this engine; fails the test if the command fails. */
    default CommandResult dockerOk(String... args) {
        return cli().run(args).orFail();
    }

    /** Loads the images with {@code docker load}, each tagged with its {@link FixtureImage#reference()}. */
    default void load(FixtureImage... images) {
        DockerArchive archive = new DockerArchive();
        for (FixtureImage image : images) {
            archive.add(image, image.reference());
        }
        load(archive);
    }

    /** Loads {@code image} without a tag: a dangling {@code <none>} image. Returns its image ID. */
    default String loadUntagged(FixtureImage image) {
        load(new DockerArchive().add(image));
        return image.imageId();
    }

    /** Writes {@code archive} to a temporary file and runs {@code docker load -i} on it. */
    default CommandResult load(DockerArchive archive) {
        Path file = null;
        try {
            file = archive.writeTo(Files.createTempFile("gantry-load-", ".tar"));
            return dockerOk("load", "-i", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an archive to load", e);
        } finally {
            if (file != null) {
                PeerFiles.deleteRecursively(file);
            }
        }
    }

    /**
     * The name the engine gives an image {@link #load}ed as {@code image.reference()}, as Gantry
     * shows it: the reference itself on dockerd; on Podman, which qualifies a short name from an
     * archive with {@code localhost/}, {@code localhost/app:latest}.
     */
    default String loadedName(FixtureImage image) {
        return kind() == Kind.PODMAN ? "localhost/" + image.reference() : image.reference();
    }

    /**
     * Commits a container as a new image: {@code docker commit} on dockerd; on Podman
     * {@code podman commit} (the docker CLI's commit request carries no body, which Podman's
     * Docker API refuses). {@code changes} are Dockerfile instructions such as {@code EXPOSE 80}.
     * Returns the new image's ID.
     */
    default String commit(String container, String reference, String... changes) {
        List<String> args = new ArrayList<>(List.of("commit"));
        for (String change : changes) {
            args.addAll(List.of("--change", change));
        }
        args.addAll(List.of(container, reference));
        commitWith(args);
        return imageId(reference);
    }

    /** Runs {@code commit ...} with this engine's own CLI. */
    default void commitWith(List<String> args) {
        dockerOk(args.toArray(String[]::new));
    }

    /** {@code docker pull reference}, e.g. from the test registry: {@code 127.0.0.1:PORT/app:latest}. */
    default CommandResult pull(String reference) {
        return dockerOk("pull", reference);
    }

    /** {@code docker login} to a registry with htpasswd users, as its first user (private CLI config). */
    default CommandResult login(RegistryPeer registry) {
        Credentials credentials = registry.credentials()
                .orElseThrow(() -> new IllegalArgumentException(registry.name() + " has no users to log in as"));
        return cli().runWithInput(credentials.password().getBytes(StandardCharsets.UTF_8),
                "login", "--username", credentials.username(), "--password-stdin", registry.hostPort()).orFail();
    }

    /** The full image ID ({@code sha256:…}) of a reference, as {@code docker image inspect} gives it. */
    default String imageId(String reference) {
        String id = dockerOk("image", "inspect", "--format", "{{.Id}}", reference).out();
        return id.startsWith("sha256:") ? id : "sha256:" + id;
    }

    /**
     * {@code docker create --network none image [command...]}: a stopped container. Returns its ID.
     */
    default String createContainer(String image, String... command) {
        return dockerOk(containerArgs("create", image, command)).out();
    }

    /** A stopped container from a fixture image, with a placeholder command if it has none. */
    default String createContainer(FixtureImage image) {
        return image.hasCommand() ? createContainer(image.reference())
                : createContainer(image.reference(), "/fixture-has-no-command");
    }

    /** {@code docker run -d --network none image [command...]}: a running container. Returns its ID. */
    default String runContainer(String image, String... command) {
        return dockerOk(containerArgs("run", image, command)).out();
    }

    /** {@code created}, {@code running}, {@code exited}… as {@code docker inspect} reports it. */
    default String containerStatus(String container) {
        return dockerOk("container", "inspect", "--format", "{{.State.Status}}", container).out();
    }

    private static String[] containerArgs(String verb, String image, String... command) {
        List<String> args = new ArrayList<>(verb.equals("run") ? List.of("run", "-d") : List.of(verb));
        args.addAll(List.of("--network", "none", image));
        args.addAll(List.of(command));
        return args.toArray(String[]::new);
    }
}
