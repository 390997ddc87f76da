package dev.eventrelay.mapping;

import dev.eventrelay.model.EventIds;
import dev.eventrelay.ingest.file.CsvFileReader;
import dev.eventrelay.ingest.file.CsvRow;
import dev.eventrelay.model.AttributeType;
import dev.eventrelay.model.Event;
import dev.eventrelay.model.EventType;
import dev.eventrelay.model.Origin;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class CsvRowMapperTest {

    private static final Path SAMPLES = Path.of("src/test/resources/samples");
    private static final String PURCHASE_FILE = "udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv";
    private static final Path PURCHASES = SAMPLES.resolve("sftp").resolve(PURCHASE_FILE);
    private static final Path UPLOAD = SAMPLES.resolve("upload/blueshift-style-events.csv");
    private static final Instant RECEIVED_AT = Instant.parse("2026-11-23T02:00:04.123Z");
    private static final String RUN_ID = "run-1";

    private static final EventType PURCHASE = new EventType("UDE_1JIJANUWB", "Purchase", Map.of(
            "amount", AttributeType.NUMBER,
            "paid", AttributeType.BOOLEAN,
            "visited_at", AttributeType.DATE,
            "store___city", AttributeType.STRING,
            "store___country", AttributeType.STRING));

    private static final Map<String, String> IMPORT_UTM = Map.of(
            "source", "import-source", "medium", "import-medium", "campaign", "import-campaign");

    private static final MappingSettings SFTP = sftpSettings(ZoneOffset.UTC);

    private static final MappingSettings UPLOAD_SETTINGS = new MappingSettings("upload", "ops-upload", null, null,
            ZoneOffset.UTC, List.of(), false, "|", Map.of());

    // ---- the SFTP sample, row by row, as the samples README lists it

    @Test
    void sampleFileGivesTheOutcomesTheSamplesReadmeLists() throws Exception {
        List<RowOutcome> outcomes = mapFile(PURCHASES, SFTP);

        assertThat(outcomes).hasSize(7);
        assertThat(outcomes).extracting(RowOutcome::isAccepted)
                .containsExactly(true, true, true, false, false, false, true);
        assertThat(outcomes).filteredOn(RowOutcome::isAccepted)
                .extracting(o -> o.event().profile().get("external_id"))
                .containsExactly("c-1001", "c-1002", "c-1003", "c-1007");
    }

    @Test
    void firstRowBecomesAPurchaseWithTypedAndNestedProperties() throws Exception {
        Event event = mapFile(PURCHASES, SFTP).get(0).event();

        assertThat(event.eventType()).isEqualTo("Purchase");
        assertThat(event.eventDate()).isEqualTo(Instant.parse("2026-11-22T09:15:02Z"));
        assertThat(event.receivedAt()).isEqualTo(RECEIVED_AT);
        assertThat(event.profile()).containsExactly(entry("external_id", "c-1001"));
        assertThat(event.properties()).containsOnlyKeys("amount", "paid", "visited_at", "store");
        assertThat(event.properties().get("amount")).isEqualTo(new BigDecimal("129.90"));
        assertThat(event.properties().get("paid")).isEqualTo(Boolean.TRUE);
        assertThat(event.properties().get("visited_at")).isEqualTo(Instant.parse("2026-11-21T18:00:00Z"));
        assertThat(event.properties().get("store")).isEqualTo(Map.of("city", "Berlin", "country", "DE"));
        assertThat(event.value()).isNull();
        assertThat(event.productIds()).isNull();
    }

    @Test
    void rowUtmValuesWinOverTheImportsUtm() throws Exception {
        Event event = mapFile(PURCHASES, SFTP).get(0).event();

        assertThat(event.utm()).containsExactly(
                entry("source", "newsletter"), entry("medium", "email"), entry("campaign", "black-friday"),
                entry("term", null), entry("content", null));
    }

    @Test
    void rowWithoutUtmFallsBackToTheImportsUtm() throws Exception {
        Event event = mapFile(PURCHASES, SFTP).get(1).event();

        assertThat(event.utm()).containsExactly(
                entry("source", "import-source"), entry("medium", "import-medium"),
                entry("campaign", "import-campaign"), entry("term", null), entry("content", null));
    }

    @Test
    void utmFallsBackPerKey() throws Exception {
        Event event = mapFile(PURCHASES, SFTP).get(2).event();

        assertThat(event.utm()).containsEntry("source", "partner")
                .containsEntry("medium", "import-medium")
                .containsEntry("campaign", "import-campaign");
    }

    @Test
    void rowWithoutUtmAndImportWithoutUtmHasNoUtm() throws Exception {
        MappingSettings noUtm = new MappingSettings("sftp", "linkflow-orders", "udc_1itzAa15r", PURCHASE,
                ZoneOffset.UTC, List.of("externalId", "eventDate"), true, "|", Map.of());

        assertThat(mapFile(PURCHASES, noUtm).get(1).event().utm()).isNull();
    }

    @Test
    void emptyDateAttributeIsLeftOutAndFalseIsFalse() throws Exception {
        RowOutcome outcome = mapFile(PURCHASES, SFTP).get(1);

        assertThat(outcome.warnings()).isEmpty();
        assertThat(outcome.event().properties()).doesNotContainKey("visited_at");
        assertThat(outcome.event().properties().get("paid")).isEqualTo(Boolean.FALSE);
        assertThat(outcome.event().properties().get("amount")).isEqualTo(new BigDecimal("15"));
    }

    @Test
    void upperCaseTrueIsTrue() throws Exception {
        RowOutcome outcome = mapFile(PURCHASES, SFTP).get(2);

        assertThat(outcome.warnings()).isEmpty();
        assertThat(outcome.event().properties().get("paid")).isEqualTo(Boolean.TRUE);
        assertThat(outcome.event().properties().get("store")).isEqualTo(
                Map.of("city", "Frankfurt am Main", "country", "DE"));
    }

    @Test
    void amountThatIsNotANumberRejectsTheRow() throws Exception {
        RowOutcome outcome = mapFile(PURCHASES, SFTP).get(3);

        assertThat(outcome.isAccepted()).isFalse();
        assertThat(outcome.rejection()).isEqualTo("amount 'not-a-number' is not a number");
    }

    @Test
    void rowWithoutAnyIdentifierIsRejected() throws Exception {
        RowOutcome outcome = mapFile(PURCHASES, SFTP).get(4);

        assertThat(outcome.isAccepted()).isFalse();
        assertThat(outcome.rejection()).startsWith("no profile identifier");
    }

    @Test
    void eventDateInDayFirstFormRejectsTheRow() throws Exception {
        RowOutcome outcome = mapFile(PURCHASES, SFTP).get(5);

        assertThat(outcome.isAccepted()).isFalse();
        assertThat(outcome.rejection())
                .isEqualTo("eventDate '22/11/2026 14:00' is not yyyy-MM-dd HH:mm:ss or ISO-8601 with an offset");
    }

    @Test
    void booleanOtherThanTrueOrFalseBecomesFalseWithAWarning() throws Exception {
        RowOutcome outcome = mapFile(PURCHASES, SFTP).get(6);

        assertThat(outcome.isAccepted()).isTrue();
        assertThat(outcome.warnings()).containsExactly("paid 'yes' is not true or false; it is read as false");
        assertThat(outcome.event().properties().get("paid")).isEqualTo(Boolean.FALSE);
        assertThat(outcome.event().properties().get("amount")).isEqualTo(new BigDecimal("42.00"));
    }

    @Test
    void quotedCityKeepsItsComma() throws Exception {
        Event event = mapFile(PURCHASES, SFTP).get(6).event();

        assertThat(event.properties().get("store")).isEqualTo(Map.of("city", "Munich, Bavaria", "country", "DE"));
    }

    @Test
    void localEventDateIsReadInTheImportsTimeZone() throws Exception {
        Event event = mapFile(PURCHASES, sftpSettings(ZoneId.of("Europe/Berlin"))).get(0).event();

        assertThat(event.eventDate()).isEqualTo(Instant.parse("2026-11-22T08:15:02Z"));
        assertThat(event.properties().get("visited_at")).isEqualTo(Instant.parse("2026-11-21T17:00:00Z"));
    }

    @Test
    void dateAttributeThatDoesNotParseRejectsTheRow() throws Exception {
        CsvLayout layout = CsvLayout.of(List.of("externalId", "eventDate", "visited_at"), SFTP);
        RowOutcome outcome = new CsvRowMapper(SFTP, layout, PURCHASE_FILE, RUN_ID)
                .map(1, List.of("c-1", "2026-11-22 09:00:00", "yesterday"), RECEIVED_AT);

        assertThat(outcome.isAccepted()).isFalse();
        assertThat(outcome.rejection()).isEqualTo(
                "visited_at 'yesterday' is not a date in the form yyyy-MM-dd HH:mm:ss or ISO-8601 with an offset");
    }

    @Test
    void emptyEventDateIsRejectedWhereTheSourceRequiresIt() throws Exception {
        CsvLayout layout = CsvLayout.of(List.of("externalId", "eventDate"), SFTP);
        RowOutcome outcome = new CsvRowMapper(SFTP, layout, PURCHASE_FILE, RUN_ID)
                .map(1, List.of("c-1", " "), RECEIVED_AT);

        assertThat(outcome.isAccepted()).isFalse();
        assertThat(outcome.rejection()).isEqualTo("the event date is empty");
    }

    @Test
    void nestedPropertiesAreBuiltFromThreeUnderscores() throws Exception {
        CsvLayout layout = CsvLayout.of(List.of("externalId", "eventDate", "store___city", "store___address___zip",
                "plain_name"), SFTP);
        Event event = new CsvRowMapper(SFTP, layout, PURCHASE_FILE, RUN_ID)
                .map(1, List.of("c-1", "2026-11-22 09:00:00", "Berlin", "10115", "x"), RECEIVED_AT).event();

        assertThat(event.properties()).isEqualTo(Map.of(
                "store", Map.of("city", "Berlin", "address", Map.of("zip", "10115")),
                "plain_name", "x"));
    }

    @Test
    void originNamesTheSourceFileRowAndRun() throws Exception {
        Event event = mapFile(PURCHASES, SFTP).get(6).event();

        assertThat(event.origin()).isEqualTo(new Origin("sftp", "linkflow-orders", "udc_1itzAa15r", "UDE_1JIJANUWB",
                PURCHASE_FILE, 7, RUN_ID));
    }

    @Test
    void rowWithTooFewValuesIsRejected() throws Exception {
        CsvLayout layout = CsvLayout.of(List.of("externalId", "eventDate", "amount"), SFTP);
        RowOutcome outcome = new CsvRowMapper(SFTP, layout, PURCHASE_FILE, RUN_ID)
                .map(1, List.of("c-1", "2026-11-22 09:00:00"), RECEIVED_AT);

        assertThat(outcome.isAccepted()).isFalse();
        assertThat(outcome.rejection()).isEqualTo("the row has 2 values, the header has 3 columns");
    }

    @Test
    void rowWithTooManyValuesIsRejected() throws Exception {
        CsvLayout layout = CsvLayout.of(List.of("externalId", "eventDate"), SFTP);
        RowOutcome outcome = new CsvRowMapper(SFTP, layout, PURCHASE_FILE, RUN_ID)
                .map(1, List.of("c-1", "2026-11-22 09:00:00", "extra"), RECEIVED_AT);

        assertThat(outcome.isAccepted()).isFalse();
        assertThat(outcome.rejection()).isEqualTo("the row has 3 values, the header has 2 columns");
    }

    @Test
    void missingRequiredColumnRejectsTheFileNamingTheColumn() throws Exception {
        List<String> header;
        try (CsvFileReader reader = new CsvFileReader(
                Files.newInputStream(SAMPLES.resolve("tricky/missing-required-column.csv")), ',')) {
            header = reader.header();
        }

        assertThatThrownBy(() -> CsvLayout.of(header, SFTP))
                .isInstanceOf(HeaderRejectedException.class)
                .hasMessageContaining("required column 'externalId' is missing");
    }

    @Test
    void semicolonHeaderReadWithACommaRejectsTheFileAndHintsAtTheDelimiter() throws Exception {
        List<String> header;
        try (CsvFileReader reader = new CsvFileReader(
                Files.newInputStream(SAMPLES.resolve("tricky/semicolon-delimited.csv")), ',')) {
            header = reader.header();
        }

        assertThatThrownBy(() -> CsvLayout.of(header, SFTP))
                .isInstanceOf(HeaderRejectedException.class)
                .hasMessageContaining("'externalId'")
                .hasMessageContaining("(is the delimiter ';'?)");
    }

    // ---- event ids

    @Test
    void eventIdIsStableForTheSameImportFileAndRow() throws Exception {
        List<RowOutcome> first = mapFile(PURCHASES, SFTP);
        List<RowOutcome> again = mapFile(PURCHASES, SFTP);

        assertThat(again.get(0).event().eventId()).isEqualTo(first.get(0).event().eventId());
        assertThat(first.get(0).event().eventId())
                .isEqualTo(EventIds.forFileRow("linkflow-orders", PURCHASE_FILE, 1));
    }

    @Test
    void eventIdDiffersForAnotherRow() throws Exception {
        List<RowOutcome> outcomes = mapFile(PURCHASES, SFTP);

        assertThat(outcomes.get(0).event().eventId()).isNotEqualTo(outcomes.get(1).event().eventId());
    }

    @Test
    void eventIdIsANameBasedUuidThatDependsOnImportFileAndRow() {
        String id = EventIds.forFileRow("linkflow-orders", PURCHASE_FILE, 1);

        assertThat(UUID.fromString(id).version()).isEqualTo(5);
        assertThat(UUID.fromString(id).variant()).isEqualTo(2);
        assertThat(EventIds.forFileRow("linkflow-orders", PURCHASE_FILE, 1)).isEqualTo(id);
        assertThat(EventIds.forFileRow("linkflow-orders", PURCHASE_FILE, 2)).isNotEqualTo(id);
        assertThat(EventIds.forFileRow("other-import", PURCHASE_FILE, 1)).isNotEqualTo(id);
        assertThat(EventIds.forFileRow("linkflow-orders", "udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv", 1))
                .isNotEqualTo(id);
    }

    // ---- event type column mode: the upload sample

    @Test
    void uploadSampleAcceptsOnlyTheValidRows() throws Exception {
        List<RowOutcome> outcomes = mapFile(UPLOAD, UPLOAD_SETTINGS);

        assertThat(outcomes).extracting(RowOutcome::isAccepted)
                .containsExactly(true, true, false, false, false, false, true);
        assertThat(outcomes).filteredOn(RowOutcome::isAccepted).extracting(o -> o.event().eventType())
                .containsExactly("add_to_cart", "purchase", "newsletter_signup");
    }

    @Test
    void eventTypeFromTheColumnWithValueCurrencyAndSplitProductIds() throws Exception {
        Event event = mapFile(UPLOAD, UPLOAD_SETTINGS).get(0).event();

        assertThat(event.eventType()).isEqualTo("add_to_cart");
        assertThat(event.eventDate()).isEqualTo(Instant.parse("2026-11-22T04:19:42Z"));
        assertThat(event.productIds()).containsExactly("A1", "B2");
        assertThat(event.value()).isEqualTo(new BigDecimal("25.00"));
        assertThat(event.valueCurrency()).isEqualTo("EUR");
        assertThat(event.properties()).isEmpty();
        assertThat(event.origin().kind()).isEqualTo("upload");
        assertThat(event.origin().channel()).isNull();
    }

    @Test
    void profileHoldsTheIdentifiersInContractOrder() throws Exception {
        Event event = mapFile(UPLOAD, UPLOAD_SETTINGS).get(0).event();

        assertThat(event.profile()).containsExactly(
                entry("email", "ann@example.com"), entry("customer_id", "42"));
    }

    @Test
    void isoEventDateWithAnOffsetBecomesUtc() throws Exception {
        Event event = mapFile(UPLOAD, UPLOAD_SETTINGS).get(1).event();

        assertThat(event.eventType()).isEqualTo("purchase");
        assertThat(event.eventDate()).isEqualTo(Instant.parse("2026-11-22T04:00:00Z"));
        assertThat(event.profile()).containsExactly(entry("customer_id", "43"));
        assertThat(event.productIds()).containsExactly("C3");
    }

    @Test
    void eventTypeWithAPeriodIsRejected() throws Exception {
        assertThat(mapFile(UPLOAD, UPLOAD_SETTINGS).get(2).rejection())
                .isEqualTo("event type 'view.product' contains a period");
    }

    @Test
    void purelyNumericEventTypeIsRejected() throws Exception {
        assertThat(mapFile(UPLOAD, UPLOAD_SETTINGS).get(3).rejection())
                .isEqualTo("event type '12345' is purely numeric");
    }

    @Test
    void eventTypeLongerThanSixtyFourCharactersIsRejected() throws Exception {
        assertThat(mapFile(UPLOAD, UPLOAD_SETTINGS).get(4).rejection())
                .endsWith("is 71 characters long, at most 64 are allowed");
    }

    @Test
    void uploadRowWithoutAnyIdentifierIsRejected() throws Exception {
        assertThat(mapFile(UPLOAD, UPLOAD_SETTINGS).get(5).rejection()).startsWith("no profile identifier");
    }

    @Test
    void missingEventDateIsTheImportTimeWhereTheSourceAllowsIt() throws Exception {
        Event event = mapFile(UPLOAD, UPLOAD_SETTINGS).get(6).event();

        assertThat(event.eventType()).isEqualTo("newsletter_signup");
        assertThat(event.eventDate()).isEqualTo(RECEIVED_AT);
        assertThat(event.productIds()).isNull();
        assertThat(event.value()).isNull();
    }

    @Test
    void emptyEventTypeCellIsRejected() throws Exception {
        CsvLayout layout = CsvLayout.of(List.of("event", "email"), UPLOAD_SETTINGS);
        RowOutcome outcome = new CsvRowMapper(UPLOAD_SETTINGS, layout, "upload.csv", RUN_ID)
                .map(1, List.of(" ", "ann@example.com"), RECEIVED_AT);

        assertThat(outcome.rejection()).isEqualTo("event type is empty");
    }

    @Test
    void valueThatIsNotANumberRejectsTheRow() throws Exception {
        CsvLayout layout = CsvLayout.of(List.of("event", "email", "value"), UPLOAD_SETTINGS);
        RowOutcome outcome = new CsvRowMapper(UPLOAD_SETTINGS, layout, "upload.csv", RUN_ID)
                .map(1, List.of("purchase", "ann@example.com", "12,50"), RECEIVED_AT);

        assertThat(outcome.isAccepted()).isFalse();
        assertThat(outcome.rejection()).isEqualTo("value '12,50' is not a number");
    }

    @Test
    void productIdsAreSplitOnTheConfiguredDelimiterAndBlankPartsDropped() throws Exception {
        MappingSettings semicolons = new MappingSettings("upload", "ops-upload", null, null, ZoneOffset.UTC,
                List.of(), false, ";", Map.of());
        CsvLayout layout = CsvLayout.of(List.of("event", "email", "product_ids"), semicolons);
        Event event = new CsvRowMapper(semicolons, layout, "upload.csv", RUN_ID)
                .map(1, List.of("purchase", "ann@example.com", "A1; B2;;C|3"), RECEIVED_AT).event();

        assertThat(event.productIds()).containsExactly("A1", "B2", "C|3");
    }

    @Test
    void fileWithoutAnEventTypeColumnIsRejectedWhenNoEventCodeIsGiven() {
        assertThatThrownBy(() -> CsvLayout.of(List.of("email", "timestamp"), UPLOAD_SETTINGS))
                .isInstanceOf(HeaderRejectedException.class)
                .hasMessageContaining("no event type");
    }

    // ---- helpers

    private static MappingSettings sftpSettings(ZoneId zone) {
        return new MappingSettings("sftp", "linkflow-orders", "udc_1itzAa15r", PURCHASE, zone,
                List.of("externalId", "eventDate"), true, "|", IMPORT_UTM);
    }

    private static List<RowOutcome> mapFile(Path file, MappingSettings settings)
            throws Exception {
        try (InputStream in = Files.newInputStream(file); CsvFileReader reader = new CsvFileReader(in, ',')) {
            CsvLayout layout = CsvLayout.of(reader.header(), settings);
            CsvRowMapper mapper = new CsvRowMapper(settings, layout, file.getFileName().toString(), RUN_ID);
            List<RowOutcome> outcomes = new ArrayList<>();
            for (CsvRow row = reader.next(); row != null; row = reader.next()) {
                outcomes.add(mapper.map(row.number(), row.values(), RECEIVED_AT));
            }
            return outcomes;
        }
    }
}
