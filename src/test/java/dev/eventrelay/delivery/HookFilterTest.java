package dev.eventrelay.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.settings.PropertyReader;
import org.junit.jupiter.api.Test;

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
    void aHookWithoutFiltersCapturesEverything() throws Exception {
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
