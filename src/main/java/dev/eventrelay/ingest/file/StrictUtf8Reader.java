package dev.eventrelay.ingest.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 strictly, handing out every good character before a malformed byte and failing only
 * when the reader reaches it, so the CSV parser's line number points at the bad bytes. (The JDK's
 * InputStreamReader fails a whole buffered chunk at once.)
 */
final class StrictUtf8Reader extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
    private boolean eof;
    private boolean flushed;
    private CoderResult error;

    StrictUtf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        CharBuffer out = CharBuffer.wrap(buffer, offset, length);
        while (true) {
            if (flushed) {
                return -1;
            }
            if (error != null) {
                error.throwException();
            }
            CoderResult result = decoder.decode(bytes, out, eof);
            if (result.isError()) {
                error = result;
                if (out.position() > offset) {
                    return out.position() - offset;
                }
                continue;
            }
            if (out.position() > offset) {
                return out.position() - offset;
            }
            if (eof) {
                decoder.flush(out);
                flushed = true;
                return out.position() > offset ? out.position() - offset : -1;
            }
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                eof = true;
            } else {
                bytes.position(bytes.position() + n);
            }
            bytes.flip();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
