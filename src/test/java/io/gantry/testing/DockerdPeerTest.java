package io.gantry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("peer")
@ExtendWith({DockerdExtension.class, RegistryExtension.class})
class DockerdPeerTest {

    private final FixtureImages images = new FixtureImages();

    @Test
    void answersOnItsOwnSocketOnly(DockerdPeer dockerd) {
        assertThat(dockerd.host()).startsWith("unix:///tmp/gd-").endsWith("/docker.sock");
        assertThat(dockerd.socket().toString().length()).isLessThan(108);
        assertThat(dockerd.api("/_ping").body()).isEqualTo("OK");
        CommandResult info = dockerd.dockerOk("info", "--format", "{{.Driver}} {{.DockerRootDir}}");
        assertThat(info.out()).isEqualTo("vfs " + dockerd.dataRoot());
        assertThat(dockerd.cli().environment()).containsEntry("DOCKER_HOST", dockerd.host())
                .doesNotContainKey("DOCKER_CONTEXT");
    }

    @Test
    void theSharedDaemonIsStartedOnce(DockerdPeer first, DockerdPeer second) {
        assertThat(first).isSameAs(second);
    }

    @Test
    void aLoadedImageHasTheConfigDigestAsItsId(DockerdPeer dockerd) {
        FixtureImage image = images.image(FixtureImages.unique("loaded"))
                .layer("ADD rootfs", l -> l.file("etc/os-release", "ID=fixture\n"))
                .layer("RUN rm", l -> l.whiteout("etc/os-release").opaque("var"))
                .cmd("/bin/nothing");

        dockerd.load(image);

        List<String> listed = dockerd.dockerOk("image", "ls", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}",
                image.repository()).lines();
        assertThat(listed).containsExactly(image.reference() + " " + image.imageId());
        assertThat(dockerd.dockerOk("image", "inspect", "--format", "{{json .RootFS.Layers}}", image.reference()).out())
                .isEqualTo("[\"" + String.join("\",\"", image.diffIds()) + "\"]");
    }

    @Test
    void aFamilySharingABaseLayerLoads(DockerdPeer dockerd) {
        FixtureImage base = images.image(FixtureImages.unique("base")).layer(l -> l.file("etc/base", "base"));
        FixtureImage app = base.child(FixtureImages.unique("app")).layer(l -> l.file("app/run", "app"));

        dockerd.load(base, app);

        assertThat(dockerd.imageId(base.reference())).isEqualTo(base.imageId());
        assertThat(dockerd.imageId(app.reference())).isEqualTo(app.imageId());
        String df = dockerd.dockerOk("system", "df", "-v").stdout();
        assertThat(df).contains("Images space usage", "SHARED SIZE", base.repository(), app.repository());
    }

    @Test
    void gzipLayersLoadToo(DockerdPeer dockerd) {
        FixtureImage image = images.image(FixtureImages.unique("gz")).layer(l -> l.file("f", "gzip"));

        dockerd.load(new DockerArchive().gzipLayers().add(image, image.reference()));

        assertThat(dockerd.imageId(image.reference())).isEqualTo(image.imageId());
    }

    @Test
    void anUntaggedImageIsDangling(DockerdPeer dockerd) {
        FixtureImage image = images.image("dangling").layer(l -> l.file("d", FixtureImages.unique("content")));

        String id = dockerd.loadUntagged(image);

        assertThat(dockerd.dockerOk("image", "ls", "--no-trunc", "--filter", "dangling=true", "--format", "{{.ID}}")
                .lines()).contains(id);
    }

    @Test
    void stoppedAndRunningContainers(DockerdPeer dockerd) {
        FixtureImage busybox = images.busybox(FixtureImages.unique("busybox"));
        FixtureImage plain = images.image(FixtureImages.unique("plain")).layer(l -> l.file("f", "x"));
        dockerd.load(busybox, plain);

        String stopped = dockerd.createContainer(plain);
        String running = dockerd.runContainer(busybox.reference());

        assertThat(dockerd.containerStatus(stopped)).isEqualTo("created");
        assertThat(dockerd.containerStatus(running)).isEqualTo("running");
        List<String> ps = dockerd.dockerOk("ps", "--all", "--no-trunc", "--format", "{{.ID}} {{.Status}}").lines();
        assertThat(ps).anySatisfy(line -> assertThat(line).startsWith(running + " Up"));
        assertThat(ps).anySatisfy(line -> assertThat(line).startsWith(stopped + " Created"));
        assertThat(dockerd.dockerOk("exec", running, "/bin/busybox", "echo", "alive").out()).isEqualTo("alive");
    }

    @Test
    void pullsFromTheTestRegistry(DockerdPeer dockerd, RegistryPeer registry) {
        String repository = FixtureImages.unique("pulled");
        FixtureImage image = images.image(repository).layer(l -> l.file("etc/name", repository)).oci();
        registry.pusher().push(image);

        dockerd.pull(image.reference(registry.hostPort()));

        assertThat(dockerd.imageId(image.reference(registry.hostPort()))).isEqualTo(image.imageId());
        assertThat(dockerd.dockerOk("image", "inspect", "--format", "{{json .RepoDigests}}",
                image.reference(registry.hostPort())).out())
                .isEqualTo("[\"" + registry.hostPort() + "/" + repository + "@" + image.manifestDigest() + "\"]");
    }

    @Test
    void pullsTheMatchingPlatformOfAnIndex(DockerdPeer dockerd, RegistryPeer registry) {
        String repository = FixtureImages.unique("multi");
        FixtureImage app = images.image("multi").layer(l -> l.file("etc/name", repository));
        FixtureIndex index = images.index(repository, app.platform("linux/amd64"),
                app.platform("linux/arm64/v8").layer(l -> l.file("arm", "arm")));
        registry.pusher().push(index);

        dockerd.pull(index.reference(registry.hostPort()));

        assertThat(dockerd.imageId(index.reference(registry.hostPort()))).isEqualTo(index.images().get(0).imageId());
    }

    @Test
    void aFreshDaemonIsEmptyAndResets(DockerdPeers daemons, DockerdPeer shared) {
        DockerdPeer fresh = daemons.start();
        FixtureImage busybox = images.busybox("bb");
        fresh.load(busybox);
        fresh.runContainer(busybox.reference());
        fresh.createContainer(busybox.reference());

        assertThat(fresh).isNotSameAs(shared);
        assertThat(fresh.host()).isNotEqualTo(shared.host());
        assertThat(fresh.dockerOk("ps", "--all", "--quiet").lines()).hasSize(2);

        fresh.reset();

        assertThat(fresh.dockerOk("ps", "--all", "--quiet").lines()).isEmpty();
        assertThat(fresh.dockerOk("image", "ls", "--all", "--quiet").lines()).isEmpty();
    }

    @Test
    void closingRemovesContainersStopsTheDaemonAndItsFiles() {
        DockerdPeer own = DockerdPeer.start();
        FixtureImage busybox = images.busybox("bb");
        own.load(busybox);
        own.runContainer(busybox.reference());

        own.close();

        assertThat(own.isRunning()).isFalse();
        assertThat(own.socket().getParent()).doesNotExist();
        assertThat(own.logTail(3)).contains("stopped in");
    }

    @Test
    void logsInToARegistryWithHtpasswdAndPulls(DockerdPeer dockerd, RegistryPeers registries) {
        RegistryPeer secured = registries.start(RegistryConfig.anonymous().htpasswd("alice", "s3cret"));
        String repository = FixtureImages.unique("private");
        FixtureImage image = images.image(repository).layer(l -> l.file("etc/name", repository));
        secured.pusher().push(image);

        assertThat(dockerd.docker("pull", image.reference(secured.hostPort())).stderr()).contains("no basic auth credentials");
        dockerd.login(secured);
        dockerd.pull(image.reference(secured.hostPort()));

        assertThat(dockerd.imageId(image.reference(secured.hostPort()))).isEqualTo(image.imageId());
    }
}
