package dev.eventrelay.ops;

import dev.eventrelay.ingest.upload.UploadInterruptedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The body of an HTTP request as a blocking {@link InputStream}, read as it arrives. The upload
 * route's platform-http consumer runs with {@code useBodyHandler=false}, so the exchange's body is
 * the Vert.x request itself, paused, with nothing of its body read yet; this stream asks Vert.x for
 * a few chunks at a time ({@value #WINDOW}) and takes the next one only when the reader has taken one,
 * so memory holds a few chunks whatever the upload's size. A connection closed before the end of the
 * body, or no data for the idle timeout, throws {@link UploadInterruptedException}. A client that
 * sent {@code Expect: 100-continue} (curl does for large files) is told to go on only here, once the
 * parameters were accepted; a refused upload is answered before its body is sent.
 */
final class RequestBodyStream extends InputStream {

    private static final int WINDOW = 8;
    private static final Object END = new Object();

    private final HttpServerRequest request;
    private final Duration idleTimeout;
    private final BlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
    private Buffer current;
    private int position;
    private long bytesRead;
    private boolean ended;

    RequestBodyStream(HttpServerRequest request, Duration idleTimeout) {
        this.request = request;
        this.idleTimeout = idleTimeout;
        request.handler(chunks::add);
        request.exceptionHandler(chunks::add);
        request.endHandler(v -> chunks.add(END));
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            request.response().writeContinue();
        }
        request.fetch(WINDOW);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (!nextChunk()) {
            return -1;
        }
        int n = Math.min(length, current.length() - position);
        current.getBytes(position, position + n, buffer, offset);
        position += n;
        bytesRead += n;
        return n;
    }

    /** Whether the whole body was read. */
    boolean ended() {
        return ended;
    }

    /** Makes {@code current} a chunk with bytes left; false at the end of the body. */
    private boolean nextChunk() {
        while (current == null || position == current.length()) {
            if (ended) {
                return false;
            }
            Object next = take();
            if (next == END) {
                ended = true;
                return false;
            }
            if (next instanceof Throwable failure) {
                throw new UploadInterruptedException(bytesRead, "the connection broke ("
                        + (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage()) + ")");
            }
            current = (Buffer) next;
            position = 0;
            askForMore();
        }
        return true;
    }

    /** Asks Vert.x for one more chunk; an HTTP/2 request that has ended refuses, and then there is none to ask for. */
    private void askForMore() {
        try {
            request.fetch(1);
        } catch (IllegalStateException ended) {
            // the end is already queued
        }
    }

    private Object take() {
        try {
            Object next = chunks.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                throw new UploadInterruptedException(bytesRead, "no data for " + idleTimeout.toSeconds()
                        + " seconds (relay.upload.idle-timeout.seconds)");
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadInterruptedException(bytesRead, "the service is stopping");
        }
    }

    /** Called once the answer is set: see {@link #closeAfterAnswer(HttpServerRequest)}. */
    @Override
    public void close() {
        request.handler(null);
        closeAfterAnswer(request);
    }

    /**
     * When the body of an HTTP/1 request was not read to its end (refused before reading, too large,
     * broken), closes the connection after the answer is written (and says so in the answer, so the
     * client does not reuse it), so the client stops sending and the rest of the body is never read. (An HTTP/2 stream is left to the client, which resets it once it
     * has the answer; closing would end every stream of the connection.)
     */
    static void closeAfterAnswer(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_2 && !request.isEnded()) {
            request.response().putHeader("Connection", "close");
            request.response().endHandler(v -> request.connection().close());
        }
    }
}
