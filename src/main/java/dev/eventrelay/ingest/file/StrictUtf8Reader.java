package dev.eventrelay.ingest.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
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
    private BadBytes error;

    /** Bytes that are not UTF-8; the message names them in hex, e.g. {@code 0xE9}. */
    static final class BadBytes extends CharacterCodingException {
        private final String hex;

        BadBytes(String hex) {
            this.hex = hex;
        }

        @Override
        public String getMessage() {
            return hex;
        }
    }

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
                throw error;
            }
            CoderResult result = decoder.decode(bytes, out, eof);
            if (result.isError()) {
                error = badBytes(result.length());
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

    private BadBytes badBytes(int length) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < length && bytes.position() + i < bytes.limit(); i++) {
            hex.append(hex.length() == 0 ? "" : " ").append(String.format("0x%02X", bytes.get(bytes.position() + i)));
        }
        return new BadBytes(hex.toString());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
