package dev.eventrelay.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant EVENT_DATE = Instant.parse("2026-11-22T12:05:06Z");
    private static final Instant RECEIVED_AT = Instant.parse("2026-11-23T02:00:04.123Z");
    private static final Origin SFTP_ORIGIN = new Origin("sftp", "linkflow-orders", "udc_1itzAa15r", "UDE_1JIJANUWB",
            "udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv", 12, "run-7");

    @Test
    void eventWithOnlyRequiredFieldsLeavesEveryOptionalFieldOut() throws Exception {
        Event event = new Event("id-1", "Purchase", EVENT_DATE, RECEIVED_AT, Map.of("external_id", "c-1"), null, null,
                null, null, Map.of(), SFTP_ORIGIN);

        JsonNode json = parse(event);

        assertThat(fieldNames(json)).containsExactly("event_id", "event_type", "event_date", "received_at", "profile",
                "origin");
        assertThat(json.get("event_id").asText()).isEqualTo("id-1");
        assertThat(json.get("event_type").asText()).isEqualTo("Purchase");
        assertThat(json.get("event_date").asText()).isEqualTo("2026-11-22T12:05:06Z");
        assertThat(json.get("received_at").asText()).isEqualTo("2026-11-23T02:00:04.123Z");
    }

    @Test
    void emptyProfileProductIdsAndPropertiesAreLeftOut() throws Exception {
        Event event = new Event("id-1", "Purchase", EVENT_DATE, RECEIVED_AT, Map.of(), null, null, List.of(), null,
                Map.of(), SFTP_ORIGIN);

        JsonNode json = parse(event);

        assertThat(json.has("profile")).isFalse();
        assertThat(json.has("product_ids")).isFalse();
        assertThat(json.has("properties")).isFalse();
        assertThat(json.has("utm")).isFalse();
        assertThat(json.has("value")).isFalse();
        assertThat(json.has("value_currency")).isFalse();
    }

    @Test
    void profileKeepsTheContractOrderAndOnlyPresentIdentifiers() throws Exception {
        Map<String, String> profile = new LinkedHashMap<>();
        profile.put("external_id", "c-1001");
        profile.put("email", "ann@example.com");
        profile.put("customer_id", "42");
        Event event = new Event("id-1", "Purchase", EVENT_DATE, RECEIVED_AT, profile, null, null, null, null, null,
                SFTP_ORIGIN);

        JsonNode json = parse(event);

        assertThat(fieldNames(json.get("profile"))).containsExactly("external_id", "email", "customer_id");
        assertThat(json.get("profile").get("email").asText()).isEqualTo("ann@example.com");
        assertThat(json.get("profile").get("customer_id").asText()).isEqualTo("42");
    }

    @Test
    void utmWritesAllFiveKeysWithNullsForMissingOnes() throws Exception {
        Map<String, String> utm = new LinkedHashMap<>();
        utm.put("campaign", "bf");
        utm.put("source", "newsletter");
        utm.put("medium", "email");
        utm.put("term", null);
        Event event = new Event("id-1", "Purchase", EVENT_DATE, RECEIVED_AT, Map.of("email", "a@b.c"), null, null,
                null, utm, null, SFTP_ORIGIN);

        JsonNode json = parse(event);

        JsonNode written = json.get("utm");
        assertThat(fieldNames(written)).containsExactly("source", "medium", "campaign", "term", "content");
        assertThat(written.get("source").asText()).isEqualTo("newsletter");
        assertThat(written.get("medium").asText()).isEqualTo("email");
        assertThat(written.get("campaign").asText()).isEqualTo("bf");
        assertThat(written.get("term").isNull()).isTrue();
        assertThat(written.get("content").isNull()).isTrue();
    }

    @Test
    void numbersKeepTheirScale() throws Exception {
        Event event = new Event("id-1", "Purchase", EVENT_DATE, RECEIVED_AT, Map.of("email", "a@b.c"),
                new BigDecimal("129.90"), "EUR", null, null, Map.of("amount", new BigDecimal("42.00")), SFTP_ORIGIN);

        String text = EventJson.write(event);
        JsonNode json = MAPPER.readTree(text);

        assertThat(text).contains("\"value\":129.90").contains("\"amount\":42.00");
        assertThat(json.get("value").decimalValue()).isEqualByComparingTo("129.9");
        assertThat(json.get("value_currency").asText()).isEqualTo("EUR");
    }

    @Test
    void productIdsAreAnArrayInOrder() throws Exception {
        Event event = new Event("id-1", "add_to_cart", EVENT_DATE, RECEIVED_AT, Map.of("email", "a@b.c"), null, null,
                List.of("A1", "B2"), null, null, SFTP_ORIGIN);

        JsonNode json = parse(event);

        assertThat(json.get("product_ids").isArray()).isTrue();
        List<String> ids = new ArrayList<>();
        json.get("product_ids").forEach(id -> ids.add(id.asText()));
        assertThat(ids).containsExactly("A1", "B2");
    }

    @Test
    void propertiesNestAndKeepTheirTypes() throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("store", Map.of("city", "Munich, Bavaria"));
        properties.put("paid", Boolean.TRUE);
        properties.put("visited_at", Instant.parse("2026-11-21T18:00:00Z"));
        properties.put("tags", List.of("x", "y"));
        Event event = new Event("id-1", "Purchase", EVENT_DATE, RECEIVED_AT, Map.of("email", "a@b.c"), null, null,
                null, null, properties, SFTP_ORIGIN);

        JsonNode written = parse(event).get("properties");

        assertThat(fieldNames(written)).containsExactly("store", "paid", "visited_at", "tags");
        assertThat(written.get("store").get("city").asText()).isEqualTo("Munich, Bavaria");
        assertThat(written.get("paid").isBoolean()).isTrue();
        assertThat(written.get("paid").booleanValue()).isTrue();
        assertThat(written.get("visited_at").asText()).isEqualTo("2026-11-21T18:00:00Z");
        assertThat(written.get("tags").get(1).asText()).isEqualTo("y");
    }

    @Test
    void sftpOriginWritesEveryField() throws Exception {
        Event event = new Event("id-1", "Purchase", EVENT_DATE, RECEIVED_AT, Map.of("email", "a@b.c"), null, null,
                null, null, null, SFTP_ORIGIN);

        JsonNode origin = parse(event).get("origin");

        assertThat(fieldNames(origin)).containsExactly("kind", "import", "channel", "event_code", "file", "row",
                "run_id");
        assertThat(origin.get("kind").asText()).isEqualTo("sftp");
        assertThat(origin.get("import").asText()).isEqualTo("linkflow-orders");
        assertThat(origin.get("channel").asText()).isEqualTo("udc_1itzAa15r");
        assertThat(origin.get("event_code").asText()).isEqualTo("UDE_1JIJANUWB");
        assertThat(origin.get("file").asText()).isEqualTo("udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv");
        assertThat(origin.get("row").isIntegralNumber()).isTrue();
        assertThat(origin.get("row").asLong()).isEqualTo(12);
        assertThat(origin.get("run_id").asText()).isEqualTo("run-7");
    }

    @Test
    void originLeavesOutFieldsThatDoNotApply() throws Exception {
        Origin upload = new Origin("upload", "ops-upload", null, null, null, 0, "run-8");
        Event event = new Event("id-1", "Purchase", EVENT_DATE, RECEIVED_AT, Map.of("email", "a@b.c"), null, null,
                null, null, null, upload);

        JsonNode origin = parse(event).get("origin");

        assertThat(fieldNames(origin)).containsExactly("kind", "import", "run_id");
        assertThat(origin.get("kind").asText()).isEqualTo("upload");
    }

    @Test
    void datesAreUtcWithTheirFractionalDigits() {
        assertThat(EventJson.rfc3339(Instant.parse("2006-01-25T15:04:05.999999Z")))
                .isEqualTo("2006-01-25T15:04:05.999999Z");
        assertThat(EventJson.rfc3339(Instant.parse("2006-01-25T15:04:05Z"))).isEqualTo("2006-01-25T15:04:05Z");
    }

    @Test
    void datesAreWrittenExactlyAsTheIsoInstantFormatterWritesThem() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(-62_167_219_200L, 253_402_300_800L); // 0000-01-01 .. 9999-12-31
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(EventJson.rfc3339(instant)).isEqualTo(java.time.format.DateTimeFormatter.ISO_INSTANT.format(instant));
        }
        Instant farAway = Instant.parse("+12026-01-01T00:00:00Z");
        assertThat(EventJson.rfc3339(farAway)).isEqualTo(java.time.format.DateTimeFormatter.ISO_INSTANT.format(farAway));
    }

    @Test
    void theProfileKeyIsTheFirstOfExternalIdCustomerIdEmailPhone() {
        Map<String, String> profile = new LinkedHashMap<>();
        profile.put("email", "a@b.c");
        profile.put("phone", "+49151");
        assertThat(Event.profileKey(profile)).isEqualTo("a@b.c");
        profile.put("customer_id", "c-7");
        assertThat(Event.profileKey(profile)).isEqualTo("c-7");
        profile.put("external_id", "x-1");
        assertThat(Event.profileKey(profile)).isEqualTo("x-1");
        assertThat(Event.profileKey(Map.of())).isNull();
    }

    @Test
    void textIsEscapedAsJson() throws Exception {
        Event event = new Event("id-1", "Purchase", EVENT_DATE, RECEIVED_AT, Map.of("email", "a@b.c"), null, null,
                null, null, Map.of("note", "say \"hi\"\nKöln"), SFTP_ORIGIN);

        assertThat(parse(event).get("properties").get("note").asText()).isEqualTo("say \"hi\"\nKöln");
    }

    private static JsonNode parse(Event event) throws Exception {
        return MAPPER.readTree(EventJson.write(event));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
