package dev.eventrelay.ingest.upload;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadFileNameTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:15:30Z");

    @Test
    void aPlainNameIsKeptAsGiven() {
        assertThat(UploadFileName.of("events.csv", NOW)).isEqualTo("events.csv");
    }

    @Test
    void pathPartsAreDroppedWhateverTheSeparator() {
        assertThat(UploadFileName.of("../../etc/passwd", NOW)).isEqualTo("passwd");
        assertThat(UploadFileName.of("/var/data/events.csv", NOW)).isEqualTo("events.csv");
        assertThat(UploadFileName.of("C:\\Users\\ops\\Desktop\\events.csv", NOW)).isEqualTo("events.csv");
        assertThat(UploadFileName.of("..\\..\\boot.ini", NOW)).isEqualTo("boot.ini");
    }

    @Test
    void spacesAndUnicodeLettersStay() {
        assertThat(UploadFileName.of("my events (nov).csv", NOW)).isEqualTo("my events (nov).csv");
        assertThat(UploadFileName.of("événements-日本-😀.csv", NOW)).isEqualTo("événements-日本-😀.csv");
        assertThat(UploadFileName.of("  padded.csv  ", NOW)).isEqualTo("padded.csv");
    }

    @Test
    void controlAndInvisibleFormattingCharactersAreRefusedWithTheirPosition() {
        assertThatThrownBy(() -> UploadFileName.of("a\nb.csv", NOW))
                .isInstanceOf(UploadFileName.RefusedException.class)
                .hasMessage("file_name has the control character U+000A at position 2; file names may not hold control"
                        + " or invisible formatting characters");
        assertThatThrownBy(() -> UploadFileName.of("x\u0000.csv", NOW)).hasMessageContaining("U+0000 at position 2");
        assertThatThrownBy(() -> UploadFileName.of("😀\u202Evsc.exe", NOW)).hasMessageContaining("U+202E at position 2");
        assertThatThrownBy(() -> UploadFileName.of("tab\there.csv", NOW)).hasMessageContaining("U+0009");
    }

    @Test
    void aNameWithNothingLeftAfterItsPathIsRefused() {
        assertThatThrownBy(() -> UploadFileName.of("../..", NOW))
                .hasMessage("file_name '../..' names no file once its path is removed");
        assertThatThrownBy(() -> UploadFileName.of("folder/", NOW)).hasMessageContaining("names no file");
        assertThatThrownBy(() -> UploadFileName.of(".", NOW)).hasMessageContaining("names no file");
    }

    @Test
    void aNameLongerThan255CharactersIsRefusedButExactly255IsKept() {
        assertThat(UploadFileName.of("a".repeat(251) + ".csv", NOW)).hasSize(255);
        assertThatThrownBy(() -> UploadFileName.of("a".repeat(252) + ".csv", NOW))
                .hasMessage("file_name is 256 characters long; at most 255");
        assertThat(UploadFileName.of("dir/".repeat(100) + "short.csv", NOW)).isEqualTo("short.csv");
    }

    @Test
    void withoutANameOneIsGeneratedFromTheTimeAndARandomPart() {
        String first = UploadFileName.of(null, NOW);
        String second = UploadFileName.of("  ", NOW);

        assertThat(first).matches("upload-20261125-101530-[0-9a-f]{8}\\.csv");
        assertThat(second).matches("upload-20261125-101530-[0-9a-f]{8}\\.csv").isNotEqualTo(first);
    }
}
