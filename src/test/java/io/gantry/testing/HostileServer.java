package io.gantry.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile HTTP peer on loopback (TCP) or on a unix socket, for attacks a real engine or registry
 * cannot be made to perform: accepting and never answering, dripping a byte a second, streaming
 * endless JSON, looping a {@code Link} header, echoing the {@code Authorization} header. It is a
 * raw socket server, not an HTTP library, so that it can misbehave at any byte. Each connection runs
 * on a daemon thread; {@link #close()} ends them all.
 */
public final class HostileServer implements Closeable {

    /** What the peer asked: the request line, its headers (lower-case names) and the path. */
    public record Exchange(String method, String path, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Writes the (hostile) answer to one request; returning closes the connection. */
    @FunctionalInterface
    public interface Behaviour {
        void answer(Exchange exchange, OutputStream out) throws IOException, InterruptedException;
    }

    private final Behaviour behaviour;
    private final ServerSocket tcp;
    private final ServerSocketChannel unix;
    private final Path socketPath;
    private final List<Closeable> open = new CopyOnWriteArrayList<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    private HostileServer(Behaviour behaviour, ServerSocket tcp, ServerSocketChannel unix, Path socketPath) {
        this.behaviour = behaviour;
        this.tcp = tcp;
        this.unix = unix;
        this.socketPath = socketPath;
        Thread acceptor = new Thread(this::accept, "hostile-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A hostile server on 127.0.0.1, a free port. */
    public static HostileServer tcp(Behaviour behaviour) throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new HostileServer(behaviour, socket, null, null);
    }

    /** A hostile server on a unix socket at {@code path}. */
    public static HostileServer unix(Path path, Behaviour behaviour) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(path));
        return new HostileServer(behaviour, null, channel, path);
    }

    public int port() {
        return tcp.getLocalPort();
    }

    /** {@code tcp://127.0.0.1:PORT} or {@code unix:///path}, as DOCKER_HOST spells it. */
    public String dockerHost() {
        return tcp != null ? "tcp://127.0.0.1:" + port() : "unix://" + socketPath;
    }

    /** {@code 127.0.0.1:PORT}, as a registry is named. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    public List<Exchange> exchanges() {
        return exchanges;
    }

    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!closed) {
            try {
                InputStream in;
                OutputStream out;
                Closeable connection;
                if (tcp != null) {
                    Socket socket = tcp.accept();
                    in = socket.getInputStream();
                    out = socket.getOutputStream();
                    connection = socket;
                } else {
                    SocketChannel channel = unix.accept();
                    in = Channels.newInputStream(channel);
                    out = Channels.newOutputStream(channel);
                    connection = channel;
                }
                connections.incrementAndGet();
                open.add(connection);
                Thread thread = new Thread(() -> serve(in, out, connection), "hostile-connection");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(InputStream in, OutputStream out, Closeable connection) {
        try (connection) {
            while (!closed) {
                Exchange exchange = readRequest(in);
                if (exchange == null) {
                    return;
                }
                exchanges.add(exchange);
                behaviour.answer(exchange, out);
                out.flush();
                if (!"keep-alive".equals(exchange.header("x-hostile-keep"))) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client gave up, or the server closed: both are the point of the exercise
        }
    }

    /** The request head, its body skipped by Content-Length; null at end of stream. */
    private static Exchange readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
        in.skipNBytes(length);
        return new Exchange(requestLine[0], requestLine.length > 1 ? requestLine[1] : "/", headers);
    }

    // ---- behaviours

    /** Accepts, reads the request, and never answers. */
    public static void neverAnswer(Exchange exchange, OutputStream out) throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Answers 200 with a JSON content type and a large length, then drips one byte a second. */
    public static void dripBody(Exchange exchange, OutputStream out) throws IOException, InterruptedException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        drip(out, "[" + "{\"Id\":\"x\"},".repeat(10_000));
    }

    /** Drips the status line and headers themselves, one byte a second. */
    public static void dripHead(Exchange exchange, OutputStream out) throws IOException, InterruptedException {
        drip(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: " + "x".repeat(100_000));
    }

    private static void drip(OutputStream out, String text) throws IOException, InterruptedException {
        for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
            out.write(b);
            out.flush();
            Thread.sleep(1000);
        }
    }

    /** Answers 200 and streams one JSON array that never ends, as fast as the client reads. */
    public static void endlessJson(Exchange exchange, OutputStream out) throws IOException {
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n["
                .getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = "{\"Id\":\"sha256:0000\",\"RepoTags\":[\"a:b\"]},\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        while (true) {
            out.write(chunk);
        }
    }

    /** Writes a whole response. */
    public static void respond(OutputStream out, int status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (tcp != null) {
            tcp.close();
        } else {
            unix.close();
            Files.deleteIfExists(socketPath);
        }
        for (Closeable c : open) {
            try {
                c.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
