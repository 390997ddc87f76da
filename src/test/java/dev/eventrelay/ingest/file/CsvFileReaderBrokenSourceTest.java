package dev.eventrelay.ingest.file;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A source that breaks off (an SFTP connection lost in the middle of a file) is not a defect of the file: the
 * reader throws the source's own IOException (never a FileRejectedException), so the file is read again later.
 */
class CsvFileReaderBrokenSourceTest {

    /** Gives {@code bytes}, then fails as a closed connection does. */
    private static InputStream breakingAfter(byte[] bytes, int count) {
        return new InputStream() {
            private final ByteArrayInputStream in = new ByteArrayInputStream(bytes, 0, count);

            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("Pipe closed");
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                if (n < 0) {
                    throw new IOException("Pipe closed");
                }
                return n;
            }
        };
    }

    private static byte[] rows(int count) {
        StringBuilder csv = new StringBuilder("externalId,eventDate\n");
        for (int i = 1; i <= count; i++) {
            csv.append("c-").append(i).append(",2026-11-22 08:00:00\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSourceThatBreaksOffInTheMiddleIsAReadFailureNotARejectedFile() throws Exception {
        byte[] csv = rows(5000);
        try (CsvFileReader reader = new CsvFileReader(breakingAfter(csv, csv.length / 2), ',')) {
            assertThatThrownBy(() -> {
                while (reader.next() != null) {
                    // read until the source breaks off
                }
            }).isExactlyInstanceOf(IOException.class).hasMessage("Pipe closed");
        }
    }

    @Test
    void aSourceThatBreaksOffInTheHeaderIsAReadFailureToo() {
        byte[] csv = rows(1);
        assertThatThrownBy(() -> {
            try (CsvFileReader reader = new CsvFileReader(breakingAfter(csv, 5), ',')) {
                reader.header();
            }
        }).isExactlyInstanceOf(IOException.class).hasMessage("Pipe closed");
    }

    @Test
    void aFileReadToItsEndStillEndsNormally() throws Exception {
        byte[] csv = rows(3);
        try (CsvFileReader reader = new CsvFileReader(new ByteArrayInputStream(csv), ',')) {
            int rows = 0;
            while (reader.next() != null) {
                rows++;
            }
            assertThat(rows).isEqualTo(3);
        }
    }
}
