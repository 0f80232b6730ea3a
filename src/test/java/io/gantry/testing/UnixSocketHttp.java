package io.gantry.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A minimal HTTP/1.0 GET over a unix socket (the JDK's own {@link UnixDomainSocketAddress}), enough
 * to ask a Docker daemon {@code /_ping} or {@code /version} without the CLI or a client library.
 */
final class UnixSocketHttp {

    /** A response: status code and body. */
    record Response(int status, String body) {
    }

    private UnixSocketHttp() {
    }

    static Response get(Path socket, String path) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            String request = "GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n";
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                received.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            String text = received.toString(StandardCharsets.UTF_8);
            int lineEnd = text.indexOf("\r\n");
            String[] statusLine = text.substring(0, lineEnd < 0 ? text.length() : lineEnd).split(" ");
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP response from " + socket + ": " + text);
            }
            int bodyStart = text.indexOf("\r\n\r\n");
            return new Response(Integer.parseInt(statusLine[1]), bodyStart < 0 ? "" : text.substring(bodyStart + 4));
        }
    }
}
