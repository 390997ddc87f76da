package dev.eventrelay.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.model.Event;
import dev.eventrelay.model.EventJson;
import dev.eventrelay.model.Origin;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CustomDataTemplateTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Origin SFTP_ORIGIN = new Origin("sftp", "linkflow-orders", "udc_1itzAa15r", "UDE_1JIJANUWB",
            "udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv", 12, "run-7");

    /** A full contract event, written by the real {@link EventJson} and read back as the delivery reads it. */
    private static JsonNode orderEvent(String eventDate) throws Exception {
        Map<String, String> profile = new LinkedHashMap<>();
        profile.put("external_id", "c-1001");
        profile.put("email", "ann@example.com");
        profile.put("phone", "+4912345");
        profile.put("customer_id", "42");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("store", Map.of("city", "Berlin"));
        properties.put("paid", true);
        properties.put("order", new LinkedHashMap<>(Map.of("id", "o-77", "total", new BigDecimal("12.5"))));
        properties.put("items", List.of("A1", "B2"));
        Event event = new Event("9b2f6c1e-0000-4000-8000-000000000001", "Placed Order", Instant.parse(eventDate),
                Instant.parse("2026-11-23T02:00:04.123Z"), profile, new BigDecimal("12.5"), "USD",
                List.of("A1", "B2"), null, properties, SFTP_ORIGIN);
        return MAPPER.readTree(EventJson.write(event));
    }

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    private static JsonNode render(String template, JsonNode event) throws Exception {
        return json(CustomDataTemplate.parse("crm", template).render(event));
    }

    @Test
    void eventDateWithNanosecondsIsRenderedInEveryFormWithAtMostSixFractionalDigits() throws Exception {
        JsonNode event = orderEvent("2026-11-22T12:05:06.123456789Z");

        JsonNode data = render("""
                {"date": "{{event_date}}", "ymd": "{{event_date_ymd}}", "rfc": "{{event_date_rfc3339}}",
                 "unix": "{{event_date_unix}}", "nano": "{{event_date_unixnano}}"}""", event);

        assertThat(data.get("date").textValue()).isEqualTo("2026-11-22T12:05:06.123456Z");
        assertThat(data.get("ymd").textValue()).isEqualTo("2026-11-22");
        assertThat(data.get("rfc").textValue()).isEqualTo("2026-11-22T12:05:06Z");
        assertThat(data.get("unix").textValue()).isEqualTo("1795349106");
        assertThat(data.get("nano").textValue()).isEqualTo("1795349106123456789");
    }

    @Test
    void eventDateWithoutFractionHasNoFractionalPart() throws Exception {
        JsonNode event = orderEvent("2026-11-22T12:05:06Z");

        JsonNode data = render("""
                {"date": "{{event_date}}", "rfc": "{{event_date_rfc3339}}", "unix": "{{event_date_unix}}",
                 "nano": "{{event_date_unixnano}}"}""", event);

        assertThat(data.get("date").textValue()).isEqualTo("2026-11-22T12:05:06Z");
        assertThat(data.get("rfc").textValue()).isEqualTo("2026-11-22T12:05:06Z");
        assertThat(data.get("unix").textValue()).isEqualTo("1795349106");
        assertThat(data.get("nano").textValue()).isEqualTo("1795349106000000000");
    }

    @Test
    void eventDateDropsTrailingZerosOfItsFraction() throws Exception {
        JsonNode data = render("{\"date\": \"{{event_date}}\"}", orderEvent("2026-11-22T12:05:06.120Z"));

        assertThat(data.get("date").textValue()).isEqualTo("2026-11-22T12:05:06.12Z");
    }

    @Test
    void eventDateWithAnOffsetIsRenderedInUtc() throws Exception {
        JsonNode event = json("{\"event_date\": \"2026-11-23T01:05:06+13:00\"}");

        JsonNode data = render("{\"ymd\": \"{{event_date_ymd}}\", \"date\": \"{{event_date}}\"}", event);

        assertThat(data.get("ymd").textValue()).isEqualTo("2026-11-22");
        assertThat(data.get("date").textValue()).isEqualTo("2026-11-22T12:05:06Z");
    }

    @Test
    void eventTypeIdAndOriginFieldsFillTheirPlaceholders() throws Exception {
        JsonNode data = render("""
                {"type": "{{event_type}}", "id": "{{event_id}}", "import": "{{import_name}}",
                 "channel": "{{channel}}", "code": "{{event_code}}", "file": "{{file_name}}"}""",
                orderEvent("2026-11-22T12:05:06Z"));

        assertThat(data.get("type").textValue()).isEqualTo("Placed Order");
        assertThat(data.get("id").textValue()).isEqualTo("9b2f6c1e-0000-4000-8000-000000000001");
        assertThat(data.get("import").textValue()).isEqualTo("linkflow-orders");
        assertThat(data.get("channel").textValue()).isEqualTo("udc_1itzAa15r");
        assertThat(data.get("code").textValue()).isEqualTo("UDE_1JIJANUWB");
        assertThat(data.get("file").textValue()).isEqualTo("udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv");
    }

    @Test
    void profileIdentifiersFillTheirPlaceholders() throws Exception {
        JsonNode data = render("""
                {"ext": "{{profile.external_id}}", "email": "{{profile.email}}", "phone": "{{profile.phone}}",
                 "customer": "{{profile.customer_id}}"}""", orderEvent("2026-11-22T12:05:06Z"));

        assertThat(data.get("ext").textValue()).isEqualTo("c-1001");
        assertThat(data.get("email").textValue()).isEqualTo("ann@example.com");
        assertThat(data.get("phone").textValue()).isEqualTo("+4912345");
        assertThat(data.get("customer").textValue()).isEqualTo("42");
    }

    @Test
    void propertyPathsReadNestedPropertiesAndArrayItems() throws Exception {
        JsonNode data = render("""
                {"city": "{{properties.store.city}}", "order": "{{properties.order.id}}",
                 "second": "{{properties.items.1}}"}""", orderEvent("2026-11-22T12:05:06Z"));

        assertThat(data.get("city").textValue()).isEqualTo("Berlin");
        assertThat(data.get("order").textValue()).isEqualTo("o-77");
        assertThat(data.get("second").textValue()).isEqualTo("B2");
    }

    @Test
    void nonStringPropertiesRenderAsTheirJsonText() throws Exception {
        JsonNode data = render("""
                {"total": "{{properties.order.total}}", "paid": "{{properties.paid}}",
                 "store": "{{properties.store}}"}""", orderEvent("2026-11-22T12:05:06Z"));

        assertThat(data.get("total").textValue()).isEqualTo("12.5");
        assertThat(data.get("paid").textValue()).isEqualTo("true");
        assertThat(data.get("store").textValue()).isEqualTo("{\"city\":\"Berlin\"}");
    }

    @Test
    void absentValuesRenderAsEmptyStrings() throws Exception {
        JsonNode uploaded = json("""
                {"event_id": "id-1", "event_type": "Purchase", "profile": {"email": "ann@example.com"},
                 "properties": {"note": null, "tag": "x"}, "origin": {"kind": "upload", "import": "manual"}}""");

        JsonNode data = render("""
                {"channel": "{{channel}}", "code": "{{event_code}}", "file": "{{file_name}}",
                 "phone": "{{profile.phone}}", "missing": "{{properties.missing.deeper}}",
                 "null": "{{properties.note}}", "through_text": "{{properties.tag.inner}}",
                 "date": "{{event_date}}", "unix": "{{event_date_unix}}", "ymd": "{{event_date_ymd}}"}""",
                uploaded);

        data.properties().forEach(field ->
                assertThat(field.getValue().textValue()).as(field.getKey()).isEmpty());
        assertThat(data.size()).isEqualTo(10);
    }

    @Test
    void emptyEventObjectLeavesEveryEventPlaceholderEmpty() throws Exception {
        JsonNode data = render("{\"import\": \"{{import_name}}\", \"type\": \"{{event_type}}\"}", json("{}"));

        assertThat(data.get("import").textValue()).isEmpty();
        assertThat(data.get("type").textValue()).isEmpty();
    }

    @Test
    void placeholdersEmbeddedInTextKeepTheSurroundingText() throws Exception {
        JsonNode data = render("""
                {"ref": "order-{{properties.order.id}}",
                 "line": "{{event_type}} on {{event_date_ymd}} for {{profile.email}}!"}""",
                orderEvent("2026-11-22T12:05:06Z"));

        assertThat(data.get("ref").textValue()).isEqualTo("order-o-77");
        assertThat(data.get("line").textValue()).isEqualTo("Placed Order on 2026-11-22 for ann@example.com!");
    }

    @Test
    void blanksInsideTheBracesAreTolerated() throws Exception {
        JsonNode data = render("{\"id\": \"{{ event_id }}\", \"email\": \"{{\\tprofile.email  }}\"}",
                orderEvent("2026-11-22T12:05:06Z"));

        assertThat(data.get("id").textValue()).isEqualTo("9b2f6c1e-0000-4000-8000-000000000001");
        assertThat(data.get("email").textValue()).isEqualTo("ann@example.com");
    }

    @Test
    void stringsInsideNestedObjectsAndArraysAreRendered() throws Exception {
        JsonNode data = render("""
                {"nested": {"id": "{{event_id}}", "deeper": {"code": "{{event_code}}"}},
                 "list": ["{{channel}}", "fixed", {"type": "{{event_type}}"}]}""",
                orderEvent("2026-11-22T12:05:06Z"));

        assertThat(data.at("/nested/id").textValue()).isEqualTo("9b2f6c1e-0000-4000-8000-000000000001");
        assertThat(data.at("/nested/deeper/code").textValue()).isEqualTo("UDE_1JIJANUWB");
        assertThat(data.at("/list/0").textValue()).isEqualTo("udc_1itzAa15r");
        assertThat(data.at("/list/1").textValue()).isEqualTo("fixed");
        assertThat(data.at("/list/2/type").textValue()).isEqualTo("Placed Order");
    }

    @Test
    void nonStringTemplateValuesAreKeptAsWrittenInCompactJson() throws Exception {
        CustomDataTemplate template = CustomDataTemplate.parse("crm", """
                {
                  "source": "relay",
                  "price": 1.10,
                  "count": 3,
                  "big": 12345678901234567890,
                  "on": true,
                  "none": null,
                  "empty": {},
                  "list": [1, false, []],
                  "id": "{{event_id}}"
                }""");

        String rendered = template.render(json("{\"event_id\": \"e-1\"}"));

        assertThat(rendered).isEqualTo("{\"source\":\"relay\",\"price\":1.10,\"count\":3,\"big\":12345678901234567890,"
                + "\"on\":true,\"none\":null,\"empty\":{},\"list\":[1,false,[]],\"id\":\"e-1\"}");
    }

    @Test
    void renderedValuesAndTemplateTextAreEscapedAsJsonStrings() throws Exception {
        JsonNode event = json("{\"event_type\": \"Say \\\"hi\\\" \\\\ bye\\nnow\"}");

        JsonNode data = render("{\"quoted \\\"key\\\"\": \"\\\"{{event_type}}\\\" ü €\"}", event);

        assertThat(data.get("quoted \"key\"").textValue()).isEqualTo("\"Say \"hi\" \\ bye\nnow\" ü €");
    }

    @Test
    void uuidIsANewVersionFourUuidOnEveryRenderingAndTheSameWithinOne() throws Exception {
        CustomDataTemplate template = CustomDataTemplate.parse("crm",
                "{\"request\": \"{{uuid}}\", \"again\": \"req-{{uuid}}\"}");
        JsonNode event = orderEvent("2026-11-22T12:05:06Z");

        JsonNode first = json(template.render(event));
        JsonNode second = json(template.render(event));

        UUID uuid = UUID.fromString(first.get("request").textValue());
        assertThat(uuid.version()).isEqualTo(4);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(first.get("again").textValue()).isEqualTo("req-" + uuid);
        assertThat(second.get("request").textValue()).isNotEqualTo(uuid.toString());
        assertThat(UUID.fromString(second.get("request").textValue()).version()).isEqualTo(4);
    }

    @Test
    void renderingFromTheEventTextGivesTheSameResultAsFromTheParsedEvent() throws Exception {
        JsonNode event = orderEvent("2026-11-22T12:05:06.5Z");
        CustomDataTemplate template = CustomDataTemplate.parse("crm", """
                {"who": "{{profile.email}}", "when": "{{event_date}}", "total": "{{properties.order.total}}"}""");

        assertThat(template.render(MAPPER.writeValueAsString(event))).isEqualTo(template.render(event))
                .isEqualTo("{\"who\":\"ann@example.com\",\"when\":\"2026-11-22T12:05:06.5Z\",\"total\":\"12.5\"}");
    }

    @Test
    void templateThatDoesNotReadTheEventNeverParsesTheEventText() {
        CustomDataTemplate constant = CustomDataTemplate.parse("crm", "{\"source\": \"relay\"}");
        CustomDataTemplate uuidOnly = CustomDataTemplate.parse("crm", "{\"request\": \"{{uuid}}\"}");
        CustomDataTemplate readsEvent = CustomDataTemplate.parse("crm", "{\"id\": \"{{event_id}}\"}");

        assertThat(constant.render("not json")).isEqualTo("{\"source\":\"relay\"}");
        assertThat(uuidOnly.render("not json")).startsWith("{\"request\":\"");
        assertThatThrownBy(() -> readsEvent.render("not json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hook 'crm'")
                .hasMessageContaining("event is not JSON");
    }

    @Test
    void blankTemplateIsTheEmptyObject() throws Exception {
        JsonNode event = orderEvent("2026-11-22T12:05:06Z");

        for (String blank : new String[] {null, "", "  \n\t"}) {
            CustomDataTemplate template = CustomDataTemplate.parse("crm", blank);
            assertThat(template.isEmpty()).as("[%s]", blank).isTrue();
            assertThat(template.render(event)).as("[%s]", blank).isEqualTo("{}");
        }
    }

    @Test
    void onlyAnObjectWithoutFieldsIsEmpty() throws Exception {
        CustomDataTemplate empty = CustomDataTemplate.parse("crm", " { } ");
        CustomDataTemplate constant = CustomDataTemplate.parse("crm", "{\"source\": \"relay\"}");

        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.render(orderEvent("2026-11-22T12:05:06Z"))).isEqualTo("{}");
        assertThat(constant.isEmpty()).isFalse();
    }

    @Test
    void unknownPlaceholderIsRefusedNamingTheHookThePlaceholderAndTheKnownOnes() {
        assertThatThrownBy(() -> CustomDataTemplate.parse("crm-orders",
                "{\"nested\": {\"ok\": \"{{event_id}}\", \"bad\": \"x-{{ foo }}\"}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hook 'crm-orders': unknown placeholder {{foo}} in custom_data")
                .hasMessageContaining("/nested/bad")
                .hasMessageContaining("known: uuid, event_date, event_date_ymd")
                .hasMessageContaining("profile.<key>, properties.<path>");
    }

    @Test
    void placeholderPrefixesWithoutANameAreUnknown() {
        for (String name : new String[] {"profile.", "profile", "properties", "properties.", "properties.a..b",
                "Event_ID", "event id", ""}) {
            assertThatThrownBy(() -> CustomDataTemplate.parse("crm", "{\"v\": \"{{" + name + "}}\"}"))
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown placeholder {{" + name.strip() + "}}");
        }
    }

    @Test
    void malformedJsonIsRefusedNamingTheHook() {
        assertThatThrownBy(() -> CustomDataTemplate.parse("crm", "{\"source\": relay}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hook 'crm': custom_data is not a JSON object: ")
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> CustomDataTemplate.parse("crm", "{\"source\": \"relay\"} trailing"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hook 'crm': custom_data is not a JSON object: ");
    }

    @Test
    void jsonThatIsNotAnObjectIsRefusedNamingTheHookAndWhatWasFound() {
        assertThatThrownBy(() -> CustomDataTemplate.parse("crm", "[\"{{event_id}}\"]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hook 'crm': custom_data is not a JSON object: found array");
        assertThatThrownBy(() -> CustomDataTemplate.parse("crm", "\"{{event_id}}\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hook 'crm': custom_data is not a JSON object: found string");
        assertThatThrownBy(() -> CustomDataTemplate.parse("crm", "42"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hook 'crm': custom_data is not a JSON object: found number");
    }

    @Test
    void duplicateFieldIsRefusedRatherThanSilentlyDropped() {
        assertThatThrownBy(() -> CustomDataTemplate.parse("crm", "{\"id\": \"a\", \"id\": \"b\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hook 'crm': custom_data is not a JSON object: ")
                .hasMessageContaining("Duplicate field 'id'");
    }

    @Test
    void unclosedPlaceholderIsRefused() {
        assertThatThrownBy(() -> CustomDataTemplate.parse("crm", "{\"ref\": \"order-{{event_id\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hook 'crm': unclosed placeholder {{event_id in custom_data at /ref");
    }

    @Test
    void placeholderInAFieldNameIsRefused() {
        assertThatThrownBy(() -> CustomDataTemplate.parse("crm", "{\"{{event_type}}\": \"x\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hook 'crm': placeholder in field name \"{{event_type}}\"");
    }
}
