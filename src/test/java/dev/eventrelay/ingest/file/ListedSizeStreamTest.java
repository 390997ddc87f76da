package dev.eventrelay.ingest.file;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListedSizeStreamTest {

    private static final byte[] FILE = "id,email\n1,a@example.com\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void aFileOfTheListedSizeReadsToItsEnd() throws IOException {
        try (InputStream in = new ListedSizeStream(new ByteArrayInputStream(FILE), FILE.length)) {
            assertThat(in.readAllBytes()).isEqualTo(FILE);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aFileThatGrewSinceTheListingFailsOnceItsReadPassesTheListedSize() throws IOException {
        try (InputStream in = new ListedSizeStream(new ByteArrayInputStream(FILE), 9)) {
            assertThat(in.readNBytes(9)).hasSize(9);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class)
                    .hasMessage("the file changed while it was read (9 bytes when listed, 10 read);"
                            + " the next run reads it again");
        }
    }

    @Test
    void aFileThatShrankSinceTheListingFailsAtItsEnd() throws IOException {
        try (InputStream in = new ListedSizeStream(new ByteArrayInputStream(FILE), FILE.length + 5)) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessageContaining("(" + (FILE.length + 5) + " bytes when listed, " + FILE.length + " read)");
        }
    }
}
