package io.gantry.registry;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;
import javax.net.SocketFactory;

/**
 * Plain sockets tuned for streaming blobs through OkHttp; TLS sits on top of them (OkHttp layers
 * its {@code SSLSocket} over the plain socket), so TLS records benefit too. Two costs are taken
 * away, both measured with {@code RegistryPullBenchmark} against a local registry:
 * <ul>
 *   <li><b>Small reads.</b> Okio asks a socket for at most one 8 KiB segment per {@code read}; a
 *       500 MB blob costs some 64,000 system calls. These sockets read up to
 *       {@value #READ_AHEAD_BYTES} bytes from the kernel at a time and serve Okio from memory.
 *   <li><b>The read-timeout watchdog.</b> OkHttp enforces its read timeout with Okio's
 *       {@code AsyncTimeout}: every 8 KiB read registers with, and wakes, a watchdog thread, which
 *       cost about a fifth of the client's CPU on a fast download. A factory made with
 *       {@link #withReadTimeout(Duration)} lets the client turn that timeout off and enforces it in
 *       the socket instead ({@code SO_TIMEOUT}): a {@code setSoTimeout(0)} ("wait forever") becomes
 *       the given timeout. That is only right for HTTP/1.1 connections, where a socket waits only
 *       while a response is expected; an HTTP/2 connection's reader thread waits on idle
 *       connections, so such a factory must serve an HTTP/1.1-only client.
 * </ul>
 */
final class ReadAheadSocketFactory extends SocketFactory {

    static final int READ_AHEAD_BYTES = 256 * 1024;

    /** Milliseconds a read may wait when the client asks for no timeout; 0 keeps "no timeout". */
    private final int readTimeoutFloorMillis;

    private ReadAheadSocketFactory(int readTimeoutFloorMillis) {
        this.readTimeoutFloorMillis = readTimeoutFloorMillis;
    }

    /** Read-ahead sockets with the client's own timeouts. */
    static ReadAheadSocketFactory plain() {
        return new ReadAheadSocketFactory(0);
    }

    /** Read-ahead sockets that never wait longer than {@code readTimeout}, whatever the client sets. */
    static ReadAheadSocketFactory withReadTimeout(Duration readTimeout) {
        return new ReadAheadSocketFactory((int) Math.max(1, Math.min(Integer.MAX_VALUE, readTimeout.toMillis())));
    }

    @Override
    public Socket createSocket() throws SocketException {
        return new ReadAheadSocket(readTimeoutFloorMillis);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(createSocket(), null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(createSocket(), new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(createSocket(), null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(createSocket(), new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    /** The {@link SocketFactory} methods other than {@link #createSocket()} return connected sockets. */
    private static Socket connected(Socket socket, SocketAddress local, SocketAddress remote) throws IOException {
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A socket whose input stream reads ahead, and whose read timeout may have a floor. */
    private static final class ReadAheadSocket extends Socket {
        private final int readTimeoutFloorMillis;
        private InputStream input;

        ReadAheadSocket(int readTimeoutFloorMillis) throws SocketException {
            this.readTimeoutFloorMillis = readTimeoutFloorMillis;
            super.setSoTimeout(readTimeoutFloorMillis);
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (input == null) {
                // A read that times out leaves BufferedInputStream as it was, so OkHttp's health
                // check (a read with a 1 ms timeout) works as on the bare stream.
                input = new BufferedInputStream(super.getInputStream(), READ_AHEAD_BYTES);
            }
            return input;
        }

        @Override
        public synchronized void setSoTimeout(int timeout) throws SocketException {
            super.setSoTimeout(timeout == 0 ? readTimeoutFloorMillis : timeout);
        }
    }
}
