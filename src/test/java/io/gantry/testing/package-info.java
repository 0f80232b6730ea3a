/**
 * The test harness: real peers and home-made images for Gantry's integration tests.
 *
 * <h2>Peers</h2>
 * Tests talk to real servers, never mocks of them (DESIGN.md, "Tests"):
 * <ul>
 *   <li>{@link io.gantry.testing.RegistryPeer}: the CNCF registry ({@code docker-registry serve})
 *       on a free loopback port with temporary storage, anonymous or with htpasswd users
 *       ({@link io.gantry.testing.RegistryConfig}).</li>
 *   <li>{@link io.gantry.testing.DockerdPeer}: a private {@code dockerd} with its own data-root,
 *       exec-root, pidfile and unix socket, and flags that work in a sandbox (no iptables, no
 *       bridge, vfs storage). Its {@code docker(...)} method runs the docker CLI against it with a
 *       clean environment, so a developer's own daemon is never touched. {@code stopDaemon()}
 *       and {@code restartDaemon()} take it away and bring it back with its data, for tests of
 *       an engine that goes away mid-session.</li>
 *   <li>{@link io.gantry.testing.PodmanPeer}: a private rootful Podman service
 *       ({@code podman system service}) with its own root, runroot, tmpdir, socket and
 *       containers.conf/storage.conf/registries.conf under one temporary directory, vfs storage,
 *       loopback registries insecure. Driven through the docker CLI on its socket like dockerd,
 *       and through {@code podman(...)} (the podman CLI as its remote client).</li>
 *   <li>{@link io.gantry.testing.ContainerdPeer}: a private containerd with the CRI plugin on its
 *       own socket, its configuration {@code containerd config default} with every path moved under
 *       one temporary directory (never {@code /run/containerd}), the aufs/btrfs/devmapper/zfs
 *       snapshotters off, {@code restrict_oom_score_adj}, the native snapshotter;
 *       {@code ctr(namespace, …)} runs containerd's own client against it only, and
 *       {@code pull(namespace, ref)} seeds images from the plain-HTTP test registry. Tests get the
 *       shared one through {@link io.gantry.testing.ContainerdExtension};
 *       {@link io.gantry.testing.ContainerdDemo} is a demo world for screenshots.</li>
 * </ul>
 * Both engines are {@link io.gantry.testing.EnginePeer}s; a test method annotated
 * {@link io.gantry.testing.BothEngines.Test} runs once on each ({@code [dockerd]},
 * {@code [podman]}), getting the shared one as an {@code EnginePeer} parameter.
 * Tests get them as parameters through {@link io.gantry.testing.RegistryExtension} and
 * {@link io.gantry.testing.DockerdExtension}. One of each is shared by the whole test JVM (started
 * on first use, stopped at the end); {@link io.gantry.testing.RegistryPeers} and
 * {@link io.gantry.testing.DockerdPeers} start fresh ones for tests that need their own. Peers log
 * to {@code target/peer-logs}; when a test fails, the tail of each peer's log it used is attached
 * to the failure. A missing program fails the test with the Debian package that provides it
 * ({@link io.gantry.testing.RequiredTool}); nothing is skipped.
 *
 * <h2>Fixture images</h2>
 * {@link io.gantry.testing.FixtureImages} makes deterministic images without {@code docker build}
 * or the network: tar layers with fixed times, owners and modes (whiteouts and opaque directories
 * included), gzip with a fixed header, configs with history and diff IDs, Docker v2 and OCI
 * manifests, multi-platform indexes ({@link io.gantry.testing.FixtureIndex}), and a runnable
 * {@code FROM scratch} busybox image. {@link io.gantry.testing.FixtureImage} is an immutable value,
 * so families that share base layers are one {@code child(...)} call away.
 * {@link io.gantry.testing.RegistryPusher} pushes them to a registry;
 * {@link io.gantry.testing.DockerArchive} writes them in {@code docker save} format for
 * {@code docker load}.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * @ExtendWith({RegistryExtension.class, DockerdExtension.class})
 * class ImagesInUseTest {
 *     private final FixtureImages images = new FixtureImages();
 *
 *     @Test
 *     void showsContainers(RegistryPeer registry, DockerdPeer dockerd) {
 *         FixtureImage base = images.image(FixtureImages.unique("base")).layer(l -> l.file("etc/os-release", "ID=x\n"));
 *         FixtureImage app = base.child(FixtureImages.unique("app")).layer(l -> l.file("app/run", "v1"));
 *         registry.pusher().push(app);                // now at app.reference(registry.hostPort())
 *         dockerd.load(base, app);                    // both tagged, sharing one layer
 *         String stopped = dockerd.createContainer(app);
 *         FixtureImage busybox = images.busybox(FixtureImages.unique("bb"));
 *         dockerd.load(busybox);
 *         String running = dockerd.runContainer(busybox.reference());
 *         // … point Gantry at dockerd.host() and registry.baseUrl() …
 *     }
 * }
 * }</pre>
 *
 * <p>This package is test code only; nothing in {@code src/main} may use it.
 */
package io.gantry.testing;
