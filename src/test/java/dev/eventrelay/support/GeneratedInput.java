package dev.eventrelay.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Test inputs made as they are read, so a 10 MB cell or a file of 300,000 rows never sits in memory:
 * text, raw bytes, a byte repeated, generated lines, and streams that break off.
 */
public final class GeneratedInput {

    private GeneratedInput() {
    }

    /** Something that opens the same bytes again on every call. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;

        /** All of it in memory (for small inputs, and to put a file on an SFTP server). */
        default byte[] bytes() throws IOException {
            try (InputStream in = open()) {
                return in.readAllBytes();
            }
        }

        /** How many bytes it has, counted by reading it. */
        default long size() throws IOException {
            try (InputStream in = open()) {
                return in.transferTo(OutputStream.nullOutputStream());
            }
        }
    }

    public static Source utf8(String text) {
        return bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Source bytes(byte[] bytes) {
        return () -> new ByteArrayInputStream(bytes);
    }

    /** {@code count} copies of {@code b}. */
    public static Source repeat(char b, long count) {
        return () -> new InputStream() {
            private long left = count;

            @Override
            public int read() {
                return left-- > 0 ? b : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                Arrays.fill(buffer, offset, offset + n, (byte) b);
                left -= n;
                return n;
            }
        };
    }

    /** The parts one after the other. */
    public static Source concat(Source... parts) {
        return () -> {
            List<InputStream> streams = new ArrayList<>();
            for (Source part : parts) {
                streams.add(part.open());
            }
            return new SequenceInputStream(Collections.enumeration(streams));
        };
    }

    /** {@code header} and a line break, then {@code line.apply(n)} and a line break for n = 1 … rows, made as read. */
    public static Source lines(String header, long rows, LongFunction<String> line) {
        return () -> new SequenceInputStream(new Enumeration<InputStream>() {
            private long next;

            @Override
            public boolean hasMoreElements() {
                return next <= rows;
            }

            @Override
            public InputStream nextElement() {
                String text = next == 0 ? header : line.apply(next);
                next++;
                return new ByteArrayInputStream((text + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /** The first {@code bytes} bytes of {@code source}, then an IOException, as when a connection drops. */
    public static Source breakingAfter(Source source, long bytes) {
        return () -> new InputStream() {
            private final InputStream in = source.open();
            private long left = bytes;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (left <= 0) {
                    throw new IOException("connection reset after " + bytes + " bytes");
                }
                int n = in.read(buffer, offset, (int) Math.min(length, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }
}
