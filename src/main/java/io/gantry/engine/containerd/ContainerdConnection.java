package io.gantry.engine.containerd;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One gRPC channel to a containerd socket (Netty's epoll transport for unix domain sockets, shaded
 * in grpc-netty-shaded), shared by the stores of every namespace of that daemon. Every call made
 * through {@link #bind} carries a deadline and the {@code containerd-namespace} header; answers
 * are capped at {@link #MAX_MESSAGE} bytes. The channel connects lazily: opening one does no I/O,
 * and a daemon that is not there fails the first call with {@code UNAVAILABLE}.
 */
final class ContainerdConnection implements AutoCloseable {

    /** containerd's own default cap for messages it sends (16 MiB); a bigger answer is refused. */
    static final int MAX_MESSAGE = 16 * 1024 * 1024;
    /** The metadata header containerd reads the namespace of a call from. */
    static final Metadata.Key<String> NAMESPACE_HEADER = Metadata.Key.of("containerd-namespace",
            Metadata.ASCII_STRING_MARSHALLER);

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Path socket;
    private final EventLoopGroup loop;
    private final ManagedChannel channel;

    ContainerdConnection(Path socket) {
        this.socket = socket;
        ThreadFactory daemons = runnable -> {
            Thread thread = new Thread(runnable, "gantry-containerd-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.loop = new EpollEventLoopGroup(1, daemons);
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(loop)
                .channelType(EpollDomainSocketChannel.class)
                .overrideAuthority("localhost")
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE)
                .maxInboundMetadataSize(64 * 1024)
                .build();
    }

    Path socket() {
        return socket;
    }

    ManagedChannel channel() {
        return channel;
    }

    /** {@code stub} for one call in {@code namespace}, failing after {@code deadline}. */
    <S extends AbstractStub<S>> S bind(S stub, String namespace, Duration deadline) {
        Metadata headers = new Metadata();
        headers.put(NAMESPACE_HEADER, namespace);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .withMaxInboundMessageSize(MAX_MESSAGE);
    }

    /**
     * {@code stub} for a stream that runs until its caller cancels it (the event stream): the
     * namespace header and the message cap, and no deadline.
     */
    <S extends AbstractStub<S>> S stream(S stub, String namespace) {
        Metadata headers = new Metadata();
        headers.put(NAMESPACE_HEADER, namespace);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withMaxInboundMessageSize(MAX_MESSAGE);
    }

    /**
     * A failed call as Gantry's error: {@code UNAVAILABLE} when the daemon does not answer (or not
     * in time), {@code NOT_FOUND}, {@code CONFLICT} ({@code ALREADY_EXISTS}, {@code FAILED_PRECONDITION}),
     * {@code UNAUTHORIZED}, {@code INVALID_INPUT}; the rest {@code INTERNAL}. The message is
     * containerd's description, never a class name.
     */
    GantryException failure(String operation, StatusRuntimeException e) {
        Status status = e.getStatus();
        String said = status.getDescription() == null ? status.getCode().name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', ' ') : status.getDescription();
        return switch (status.getCode()) {
            case UNAVAILABLE -> new GantryException(ErrorKind.UNAVAILABLE, operation,
                    "containerd at " + socket + " does not answer", status.getCode().name(), 0,
                    "Start containerd (systemctl start containerd) or check the socket's path and permissions.", e);
            case DEADLINE_EXCEEDED -> new GantryException(ErrorKind.UNAVAILABLE, operation,
                    "containerd at " + socket + " did not answer in time", status.getCode().name(), 0, null, e);
            case NOT_FOUND -> new GantryException(ErrorKind.NOT_FOUND, operation, said, status.getCode().name(), 0,
                    null, e);
            case ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED -> new GantryException(ErrorKind.CONFLICT, operation,
                    said, status.getCode().name(), 0, null, e);
            case UNAUTHENTICATED -> new GantryException(ErrorKind.UNAUTHORIZED, operation, said,
                    status.getCode().name(), 0, null, e);
            case PERMISSION_DENIED -> new GantryException(ErrorKind.DENIED, operation, said, status.getCode().name(),
                    0, "Gantry needs read and write access to " + socket + " (root, or the socket's group).", e);
            case INVALID_ARGUMENT -> new GantryException(ErrorKind.INVALID_INPUT, operation, said,
                    status.getCode().name(), 0, null, e);
            case RESOURCE_EXHAUSTED -> new GantryException(ErrorKind.BAD_CONTENT, operation,
                    "containerd's answer is larger than Gantry accepts (" + MAX_MESSAGE / (1024 * 1024) + " MiB)",
                    status.getCode().name(), 0, null, e);
            case CANCELLED -> new GantryException(ErrorKind.CANCELLED, operation, "cancelled", e);
            case UNIMPLEMENTED -> new GantryException(ErrorKind.INVALID_INPUT, operation,
                    "containerd at " + socket + " does not offer this (" + said + ")", status.getCode().name(), 0,
                    "For the node view, enable containerd's CRI plugin (it is in disabled_plugins).", e);
            default -> new GantryException(ErrorKind.INTERNAL, operation, said, status.getCode().name(), 0, null, e);
        };
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
