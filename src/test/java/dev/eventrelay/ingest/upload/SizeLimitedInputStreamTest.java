package dev.eventrelay.ingest.upload;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizeLimitedInputStreamTest {

    @Test
    void aBodyOfExactlyTheLimitIsReadToItsEnd() throws IOException {
        SizeLimitedInputStream in = new SizeLimitedInputStream(new ByteArrayInputStream(new byte[100]), 100);

        assertThat(in.readAllBytes()).hasSize(100);
        assertThat(in.count()).isEqualTo(100);
    }

    @Test
    void theFirstByteOverTheLimitStopsTheRead() throws IOException {
        SizeLimitedInputStream in = new SizeLimitedInputStream(new ByteArrayInputStream(new byte[101]), 100);
        assertThat(in.readNBytes(100)).hasSize(100);

        assertThatThrownBy(in::read).isInstanceOf(UploadTooLargeException.class)
                .hasMessage("the upload is larger than the limit of 100 bytes (relay.upload.max-bytes);"
                        + " nothing of it is imported");
    }

    @Test
    void aBulkReadThatCrossesTheLimitStopsAtOnce() {
        InputStream in = new SizeLimitedInputStream(new ByteArrayInputStream(new byte[10_000]), 4_000);

        assertThatThrownBy(() -> in.read(new byte[8_192])).isInstanceOf(UploadTooLargeException.class);
    }
}
