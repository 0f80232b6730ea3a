package io.gantry.registry;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import java.io.IOException;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/** Reading whole (small) response bodies with a size limit. */
final class Bodies {

    private Bodies() {
    }

    /**
     * All of {@code body}, refusing more than {@code limit} bytes (a registry that sends a 100 MB
     * "manifest" is broken or hostile).
     *
     * @throws IOException     when the connection drops (the caller may retry)
     * @throws GantryException of kind {@link ErrorKind#BAD_CONTENT} when the body is too large
     */
    static byte[] readLimited(ResponseBody body, long limit, String operation, String what) throws IOException {
        if (body.contentLength() > limit) {
            throw tooLarge(operation, what, limit);
        }
        BufferedSource source = body.source();
        if (source.request(limit + 1)) {
            throw tooLarge(operation, what, limit);
        }
        return source.getBuffer().readByteArray();
    }

    private static GantryException tooLarge(String operation, String what, long limit) {
        return new GantryException(ErrorKind.BAD_CONTENT, operation,
                "the " + what + " is larger than " + (limit / 1024) + " KiB, more than any valid one");
    }
}
