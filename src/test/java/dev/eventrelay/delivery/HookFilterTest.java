package dev.eventrelay.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.systemevents.SystemEvents;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HookFilterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode event(String importName, String channel, String code, String city) throws Exception {
        return JSON.readTree("{\"event_type\":\"Purchase\",\"properties\":{\"store\":{\"city\":\"" + city + "\"},"
                + "\"paid\":true},\"origin\":{\"kind\":\"sftp\",\"import\":\"" + importName + "\",\"channel\":\""
                + channel + "\",\"event_code\":\"" + code + "\"}}");
    }

    private static HookFilter read(Map<String, String> keys) {
        Map<String, String> all = new java.util.HashMap<>(keys);
        all.put("relay.hook.h.file.folder", "out");
        PropertyReader p = PropertyReader.of(all);
        HookFilter filter = HookConfig.read("h", p).filter();
        assertThat(p.problems()).isEmpty();
        return filter;
    }

    @Test
    void aHookWithoutAnEventTypeListCapturesNoSystemEventAndAHookThatListsOneCapturesOnlyThatOne() {
        HookFilter all = read(Map.of());
        HookFilter onlyImportFilter = read(Map.of("relay.hook.h.filter.imports", "default"));
        HookFilter alerts = read(Map.of("relay.hook.h.event-types", "relay_run_failed, Purchase"));

        assertThat(SystemEvents.TYPES).allSatisfy(type -> {
            assertThat(all.capturesType(type)).as(type).isFalse();
            assertThat(onlyImportFilter.capturesType(type)).as(type).isFalse();
        });
        assertThat(alerts.capturesType("relay_run_failed")).isTrue();
        assertThat(alerts.capturesType("Purchase")).isTrue();
        assertThat(alerts.capturesType("relay_run_processed")).isFalse();
        assertThat(alerts.capturesType("relay_batch_dead_lettered")).isFalse();
    }

    @Test
    void aSystemEventReportsOnlyOnTheHookItNamesAndOnlyHookFailureBatchesRaiseNoFurtherEvent() throws Exception {
        JsonNode deadLettered = JSON.readTree("{\"event_type\":\"relay_batch_dead_lettered\","
                + "\"properties\":{\"hook\":\"webhook\"},\"origin\":{\"kind\":\"system\"}}");

        assertThat(SystemEvents.concerns(deadLettered, "webhook")).isTrue();
        assertThat(SystemEvents.concerns(deadLettered, "alerts")).isFalse();
        assertThat(SystemEvents.concerns(event("a", "c", "E", "Berlin"), "webhook")).isFalse();
        assertThat(SystemEvents.raisesEvent(List.of("relay_batch_dead_lettered", "relay_hook_disabled"))).isFalse();
        assertThat(SystemEvents.raisesEvent(List.of("relay_batch_dead_lettered", "Purchase"))).isTrue();
        assertThat(SystemEvents.raisesEvent(List.of("relay_run_failed"))).isTrue();
    }

    @Test
    void aHookWithoutFiltersCapturesEveryImportedEvent() throws Exception {
        HookFilter filter = read(Map.of());

        assertThat(filter.needsEvent()).isFalse();
        assertThat(filter.capturesType("Anything")).isTrue();
        assertThat(filter.captures(event("a", "c", "E", "Berlin"))).isTrue();
    }

    @Test
    void importChannelAndEventCodeFiltersMustAllMatch() throws Exception {
        HookFilter filter = read(Map.of("relay.hook.h.filter.imports", "acme, other",
                "relay.hook.h.filter.channels", "c1", "relay.hook.h.filter.event-codes", "E1"));

        assertThat(filter.captures(event("acme", "c1", "E1", "Berlin"))).isTrue();
        assertThat(filter.captures(event("other", "c1", "E1", "Berlin"))).isTrue();
        assertThat(filter.captures(event("third", "c1", "E1", "Berlin"))).isFalse();
        assertThat(filter.captures(event("acme", "c2", "E1", "Berlin"))).isFalse();
        assertThat(filter.captures(event("acme", "c1", "E2", "Berlin"))).isFalse();
    }

    @Test
    void aPropertyFilterComparesANestedPropertyWithItsValue() throws Exception {
        HookFilter filter = read(Map.of("relay.hook.h.filter.property.store.city.equals", "Berlin",
                "relay.hook.h.filter.property.paid.equals", "true"));

        assertThat(filter.propertyEquals()).containsEntry("store.city", "Berlin").containsEntry("paid", "true");
        assertThat(filter.captures(event("a", "c", "E", "Berlin"))).isTrue();
        assertThat(filter.captures(event("a", "c", "E", "Hamburg"))).isFalse();
    }

    @Test
    void eventTypesAreCheckedBeforeTheEventIsRead() {
        HookFilter filter = read(Map.of("relay.hook.h.event-types", "Purchase"));

        assertThat(filter.capturesType("Purchase")).isTrue();
        assertThat(filter.capturesType("Login")).isFalse();
        assertThat(filter.needsEvent()).isFalse();
    }
}
