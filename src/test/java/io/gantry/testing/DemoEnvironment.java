package io.gantry.testing;

import java.time.Duration;
import java.time.Instant;

/**
 * A demo world for trying Gantry by hand and for README screenshots: a private dockerd and a
 * private registry, filled with a family of fixture images (shared base layers, several tags, a
 * dangling image, a stopped and a running container). Prints the {@code DOCKER_HOST} to start
 * Gantry with, then waits until Enter (or end of input) and stops both peers. With the argument
 * {@code --podman} it also starts a private Podman service with some of the images and a manifest
 * list made by {@code podman manifest create/add} (one platform here, one only in the registry),
 * and prints its address as {@code PODMAN_HOST}.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.gantry.testing.DemoEnvironment [-Dexec.args=--podman]</pre>
 */
public final class DemoEnvironment {

    private DemoEnvironment() {
    }

    /**
     * Fills {@code dockerd} and {@code registry} with the demo images (made as of {@code now}): a family
     * with shared base layers, a dangling image, a stopped container on demo/web:1.0 and a running one
     * on demo/busybox; the registry gets the family and a two-platform index demo/multi.
     */
    public static Images fill(DockerdPeer dockerd, RegistryPeer registry, Instant now) {
        FixtureImages images = new FixtureImages(now.minus(Duration.ofDays(40)), ToolFinder.fromEnvironment());
        FixtureImage base = images.image("demo/base").tag("12")
                .layer("ADD rootfs.tar /", l -> l.dir("etc").file("etc/os-release", "ID=demo\nVERSION_ID=12\n")
                        .randomFile("usr/lib/libdemo.so", 3_000_000, 1))
                .layer("RUN apt-get install -y ca-certificates", l -> l
                        .randomFile("etc/ssl/certs/ca-certificates.crt", 200_000, 2));
        FixtureImage web10 = base.child("demo/web").tag("1.0").created(now.minus(Duration.ofDays(9)))
                .env("PORT", "8080").emptyLayer("ENV PORT=8080")
                .layer("COPY site /srv/www", l -> l.randomFile("srv/www/app.js", 1_200_000, 3))
                .cmd("/srv/www/app.js");
        FixtureImage web11 = base.child("demo/web").tag("1.1").created(now.minus(Duration.ofHours(30)))
                .env("PORT", "8080").emptyLayer("ENV PORT=8080")
                .layer("COPY site /srv/www", l -> l.randomFile("srv/www/app.js", 1_300_000, 4))
                .cmd("/srv/www/app.js");
        FixtureImage worker = base.child("demo/worker").tag("latest").created(now.minus(Duration.ofDays(3)))
                .layer("COPY worker /opt/worker", l -> l.randomFile("opt/worker/bin", 2_500_000, 5)
                        .whiteout("etc/os-release"))
                .entrypoint("/opt/worker/bin");
        FixtureImage oldBuild = base.child("demo/web").tag("old").created(now.minus(Duration.ofDays(20)))
                .layer("COPY site /srv/www", l -> l.randomFile("srv/www/app.js", 900_000, 6));
        FixtureImage busybox = images.busybox("demo/busybox").created(now.minus(Duration.ofMinutes(5)));

        dockerd.load(base, web10, web11, worker, busybox);
        dockerd.loadUntagged(oldBuild);
        dockerd.createContainer(web10);
        dockerd.runContainer(busybox.reference());
        for (FixtureImage image : new FixtureImage[] {base, web10, web11, worker}) {
            registry.pusher().push(image);
        }
        registry.pusher().push(images.index("demo/multi", web11, web11.platform("linux/arm64/v8")).oci());
        return new Images(base, web10, web11, worker, busybox, images);
    }

    /** The demo world's images, as {@link #fill} made them. */
    public record Images(FixtureImage base, FixtureImage web10, FixtureImage web11, FixtureImage worker,
            FixtureImage busybox, FixtureImages fixtures) {
    }

    public static void main(String[] args) throws Exception {
        try (DockerdPeer dockerd = DockerdPeer.start(); RegistryPeer registry = RegistryPeer.start()) {
            Images demo = fill(dockerd, registry, Instant.now());
            FixtureImage base = demo.base();
            FixtureImage web11 = demo.web11();
            FixtureImage busybox = demo.busybox();
            System.out.println("DOCKER_HOST=" + dockerd.host());
            System.out.println("REGISTRY=" + registry.hostPort());
            if (java.util.List.of(args).contains("--podman")) {
                try (PodmanPeer podman = PodmanPeer.start()) {
                    podman.load(base, web11, busybox);
                    String list = "localhost/demo/web:multi";
                    podman.podmanOk("manifest", "create", list);
                    podman.podmanOk("manifest", "add", "--os", "linux", "--arch", "amd64", list,
                            "containers-storage:" + web11.imageId().substring(7));
                    FixtureImage arm = web11.platform("linux/arm64/v8");
                    registry.pusher().push(arm, "demo/web-arm64", "1.1");
                    podman.podmanOk("manifest", "add", "--tls-verify=false", "--os", "linux", "--arch", "arm64",
                            "--variant", "v8", list, "docker://" + registry.hostPort() + "/demo/web-arm64:1.1");
                    System.out.println("PODMAN_HOST=" + podman.host());
                    waitForEnter();
                }
            } else {
                waitForEnter();
            }
        }
    }

    private static void waitForEnter() throws java.io.IOException {
        System.out.println("Press Enter to stop.");
        System.in.read();
    }
}
