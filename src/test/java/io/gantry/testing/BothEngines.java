package io.gantry.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs a test once against the shared private dockerd and once against the shared private Podman
 * service, each given to it as an {@link EnginePeer} parameter ({@code [dockerd]} and
 * {@code [podman]} in the test's name). The dockerd is the one {@link DockerdExtension} shares;
 * the Podman service is started on first use and stopped when the test JVM's run ends. A missing
 * {@code podman} fails the podman invocation with the package to install, never skips it. On a
 * failure the engine's log tail is attached.
 *
 * <pre>{@code
 * @BothEngines.Test
 * void listsImages(EnginePeer engine) { engine.load(image); … }
 * }</pre>
 */
public final class BothEngines extends PeerExtension implements TestTemplateInvocationContextProvider {

    private static final Namespace NAMESPACE = Namespace.create(BothEngines.class);

    /** A test template run on dockerd and on Podman. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @TestTemplate
    @ExtendWith(BothEngines.class)
    public @interface Test {
    }

    @Override
    Namespace namespace() {
        return NAMESPACE;
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return Stream.of(EnginePeer.Kind.DOCKERD, EnginePeer.Kind.PODMAN).map(this::invocation);
    }

    private TestTemplateInvocationContext invocation(EnginePeer.Kind kind) {
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return "[" + kind.label() + "]";
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new ParameterResolver() {
                    @Override
                    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
                        return parameter.getParameter().getType() == EnginePeer.class;
                    }

                    @Override
                    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
                        EnginePeer peer = shared(kind, context);
                        inUse(context, peer);
                        return peer;
                    }
                });
            }
        };
    }

    /** The shared engine of this kind: the dockerd {@link DockerdExtension} shares, or the Podman service. */
    static EnginePeer shared(EnginePeer.Kind kind, ExtensionContext context) {
        return switch (kind) {
            case DOCKERD -> DockerdExtension.shared(context);
            case PODMAN -> sharedPodman(context);
        };
    }

    /** The Podman service shared by the whole test JVM. */
    static PodmanPeer sharedPodman(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("shared-podman", k -> PodmanPeer.start(), PodmanPeer.class);
    }
}
