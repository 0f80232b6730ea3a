package io.gantry.registry;

import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;

/**
 * A response body that announces all of {@code content} in {@code Content-Length} but sends only
 * the first {@code sent} bytes before the server drops the connection: a truncated download.
 */
final class TruncatedBody implements MockResponseBody {

    private final byte[] content;
    private final int sent;

    TruncatedBody(byte[] content, int sent) {
        this.content = content;
        this.sent = sent;
    }

    @Override
    public long getContentLength() {
        return content.length;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        sink.write(content, 0, sent);
        sink.flush();
    }

    /**
     * A 200 response with {@code Content-Length: content.length} whose connection closes after
     * {@code sent} bytes.
     */
    static MockResponse response(byte[] content, int sent) {
        return new MockResponse.Builder().code(200).body(new TruncatedBody(content, sent))
                .onResponseEnd(new SocketEffect.CloseSocket(true, true, true)).build();
    }
}
