package io.gantry.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A containerd demo world for trying Gantry's containerd endpoint by hand and for screenshots: a
 * private containerd and registry, a family of fixture images pulled into the {@code default} and
 * {@code k8s.io} namespaces, and a container using one of them ({@link #fill}, which the screenshot walk
 * shares). Prints the
 * {@code CONTAINERD_ADDRESS} to start Gantry with, then waits until Enter (or end of input).
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.gantry.testing.ContainerdDemo</pre>
 */
public final class ContainerdDemo {

    private ContainerdDemo() {
    }

    public static void main(String[] args) throws Exception {
        try (ContainerdPeer containerd = ContainerdPeer.start(); RegistryPeer registry = RegistryPeer.start()) {
            fill(containerd, registry, "demo", Instant.now());
            System.out.println("CONTAINERD_ADDRESS=" + containerd.socket());
            System.out.println("Press Enter to stop.");
            System.in.read();
        }
    }

    /**
     * Pushes the demo family to {@code registry} and pulls it into {@code containerd}: PREFIX/base:12,
     * PREFIX/api:2.4 and PREFIX/web:1.1 into {@code default} (a container uses PREFIX/api), PREFIX/api and
     * PREFIX/web into {@code k8s.io}. Returns the references as the registry names them. (The screenshot
     * walk shares its registry with {@link DemoEnvironment}'s demo/ images, so it passes another prefix.)
     */
    public static List<String> fill(ContainerdPeer containerd, RegistryPeer registry, String prefix, Instant now) {
        FixtureImages images = new FixtureImages(now.minus(Duration.ofDays(30)), ToolFinder.fromEnvironment());
        FixtureImage base = images.image(prefix + "/base").tag("12")
                .layer("ADD rootfs.tar /", l -> l.dir("etc").file("etc/os-release", "ID=demo\n")
                        .randomFile("usr/lib/libdemo.so", 2_000_000, 1));
        FixtureImage api = base.child(prefix + "/api").tag("2.4").created(now.minus(Duration.ofDays(4)))
                .layer("COPY api /opt/api", l -> l.randomFile("opt/api/bin", 1_500_000, 2)).cmd("/opt/api/bin");
        FixtureImage web = base.child(prefix + "/web").tag("1.1").created(now.minus(Duration.ofHours(20)))
                .layer("COPY site /srv/www", l -> l.randomFile("srv/www/app.js", 800_000, 3));
        for (FixtureImage image : new FixtureImage[] {base, api, web}) {
            registry.pusher().push(image);
            containerd.pull("default", image.reference(registry.hostPort()));
        }
        containerd.pull("k8s.io", api.reference(registry.hostPort()));
        containerd.pull("k8s.io", web.reference(registry.hostPort()));
        containerd.ctrOk("default", "containers", "create", "--snapshotter", "native",
                api.reference(registry.hostPort()), "api-1");
        return List.of(base.reference(registry.hostPort()), api.reference(registry.hostPort()),
                web.reference(registry.hostPort()));
    }
}
