package dev.eventrelay.ingest.upload;

import dev.eventrelay.settings.PropertyReader;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UploadImportConfigTest {

    @Test
    void anUploadImportNeedsNoServerAndGetsTheDocumentedDefaults() {
        PropertyReader p = PropertyReader.of(Map.of("relay.import.manual.source", "upload"));

        assertThat(UploadImportConfig.isUploadOnly("manual", p)).isTrue();
        UploadImportConfig config = UploadImportConfig.read("manual", p);

        assertThat(p.problems()).isEmpty();
        assertThat(config.enabled()).isTrue();
        assertThat(config.channel()).isNull();
        assertThat(config.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(config.delimiter()).isEqualTo(',');
        assertThat(config.requiredColumns()).isEmpty();
        assertThat(config.eventDateRequired()).isFalse();
        assertThat(config.productIdDelimiter()).isEqualTo("|");
        assertThat(config.utm()).isEmpty();
        assertThat(config.hasEventTypeColumn()).isFalse();
    }

    @Test
    void everyCsvSettingOfAnUploadImportIsRead() {
        PropertyReader p = PropertyReader.of(Map.of(
                "relay.import.crm.source", "upload",
                "relay.import.crm.channel", "crm",
                "relay.import.crm.time-zone", "Europe/Berlin",
                "relay.import.crm.csv.delimiter", ";",
                "relay.import.crm.csv.required-columns", "email, timestamp",
                "relay.import.crm.csv.event-date-required", "true",
                "relay.import.crm.csv.event-type-column", "kind",
                "relay.import.crm.utm.source", "crm"));

        UploadImportConfig config = UploadImportConfig.read("crm", p);

        assertThat(p.problems()).isEmpty();
        assertThat(config.channel()).isEqualTo("crm");
        assertThat(config.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(config.delimiter()).isEqualTo(';');
        assertThat(config.requiredColumns()).containsExactly("email", "timestamp");
        assertThat(config.eventDateRequired()).isTrue();
        assertThat(config.eventTypeColumn()).isEqualTo("kind");
        assertThat(config.mapping(null).eventTypeColumns()).containsExactly("kind");
        assertThat(config.utm()).containsEntry("source", "crm");
    }

    @Test
    void sftpKeysOnAnUploadImportAreProblemsThatNameTheKey() {
        PropertyReader p = PropertyReader.of(Map.of(
                "relay.import.manual.source", "upload",
                "relay.import.manual.sftp.host", "sftp.example.com",
                "relay.import.manual.schedule", "0 0 2 * * ?"));

        UploadImportConfig.read("manual", p);

        assertThat(p.problems()).containsExactlyInAnyOrder(
                "relay.import.manual.schedule does not apply to an import with source = upload; remove it",
                "relay.import.manual.sftp.host does not apply to an import with source = upload; remove it");
    }

    @Test
    void anUnknownSourceIsAProblem() {
        PropertyReader p = PropertyReader.of(Map.of("relay.import.x.source", "ftp"));

        assertThat(UploadImportConfig.isUploadOnly("x", p)).isFalse();
        assertThat(p.problems()).containsExactly("relay.import.x.source 'ftp' is not sftp or upload");
    }
}
