package dev.eventrelay.ingest.warehouse;

import dev.eventrelay.settings.PropertyReader;
import org.junit.jupiter.api.Test;

import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a sync's keys and checking its mapping: every problem names the property to fix. */
class MappingCheckTest {

    private static final String KEY = "relay.sync.pos.";

    private static Map<String, String> valid() {
        Map<String, String> keys = new HashMap<>();
        keys.put(KEY + "jdbc.url", "jdbc:postgresql://127.0.0.1:5432/warehouse");
        keys.put(KEY + "table", "pos_events");
        keys.put(KEY + "mapping.event-date", "event_ts");
        keys.put(KEY + "mapping.event-type", "metric_name");
        keys.put(KEY + "mapping.email", "email");
        keys.put(KEY + "mapping.changed-at", "updated_at");
        return keys;
    }

    private static WarehouseSyncConfig read(Map<String, String> keys, PropertyReader p) {
        return WarehouseSyncConfig.read("pos", p);
    }

    private static List<String> problems(Map<String, String> keys) {
        PropertyReader p = PropertyReader.of(keys);
        WarehouseSyncConfig config = read(keys, p);
        List<String> problems = new java.util.ArrayList<>(p.problems());
        problems.addAll(MappingCheck.rules(config));
        return problems;
    }

    @Test
    void aMinimalSyncGetsTheDocumentedDefaults() {
        PropertyReader p = PropertyReader.of(valid());

        WarehouseSyncConfig config = WarehouseSyncConfig.read("pos", p);

        assertThat(p.problems()).isEmpty();
        assertThat(MappingCheck.rules(config)).isEmpty();
        assertThat(config.schedule()).isEqualTo("0 0 * * * ?");
        assertThat(config.pageSize()).isEqualTo(1000);
        assertThat(config.poolSize()).isEqualTo(2);
        assertThat(config.startAt()).isNull();
    }

    @Test
    void aMissingEventDateIsAProblemNamingItsKey() {
        Map<String, String> keys = valid();
        keys.remove(KEY + "mapping.event-date");

        assertThat(problems(keys)).singleElement().asString().startsWith(KEY + "mapping.event-date is required");
    }

    @Test
    void noProfileIdentifierIsAProblem() {
        Map<String, String> keys = valid();
        keys.remove(KEY + "mapping.email");

        assertThat(problems(keys)).singleElement().asString().contains("at least one profile identifier");
    }

    @Test
    void aMissingChangeColumnIsAProblem() {
        Map<String, String> keys = valid();
        keys.remove(KEY + "mapping.changed-at");

        assertThat(problems(keys)).singleElement().asString().startsWith(KEY + "mapping.changed-at is required");
    }

    @Test
    void theChangeColumnMustDifferFromTheEventColumn() {
        Map<String, String> keys = valid();
        keys.put(KEY + "mapping.changed-at", "EVENT_TS");

        assertThat(problems(keys)).singleElement().asString().startsWith(KEY + "mapping.changed-at must differ");
    }

    @Test
    void oneColumnMappedToTwoFieldsIsAProblem() {
        Map<String, String> keys = valid();
        keys.put(KEY + "mapping.external-id", "email");

        assertThat(problems(keys)).singleElement().asString()
                .startsWith(KEY + "mapping.external-id maps column 'email', which " + KEY + "mapping.email");
    }

    @Test
    void anEventTypeIsRequiredAsAColumnOrAValidConstantButNotBoth() {
        Map<String, String> none = valid();
        none.remove(KEY + "mapping.event-type");
        Map<String, String> both = valid();
        both.put(KEY + "event-type", "Purchase");
        Map<String, String> invalid = valid();
        invalid.remove(KEY + "mapping.event-type");
        invalid.put(KEY + "event-type", "order.placed");

        assertThat(problems(none)).singleElement().asString().startsWith(KEY + "event-type is required");
        assertThat(problems(both)).singleElement().asString().startsWith(KEY + "event-type is set together");
        assertThat(problems(invalid)).singleElement().asString().contains("contains a period");
    }

    @Test
    void aTableOrAQueryIsRequiredAndNotBoth() {
        Map<String, String> none = valid();
        none.remove(KEY + "table");
        Map<String, String> both = valid();
        both.put(KEY + "query", "SELECT * FROM pos_events");

        assertThat(problems(none)).singleElement().asString().startsWith(KEY + "table is required");
        assertThat(problems(both)).singleElement().asString().startsWith(KEY + "query is set together");
    }

    @Test
    void aBadScheduleStartOrPageSizeNamesItsKey() {
        Map<String, String> keys = valid();
        keys.put(KEY + "schedule", "hourly");
        keys.put(KEY + "start-at", "yesterday");
        keys.put(KEY + "page-size", "0");

        assertThat(problems(keys)).hasSize(3).anySatisfy(p -> assertThat(p).startsWith(KEY + "schedule"))
                .anySatisfy(p -> assertThat(p).startsWith(KEY + "start-at"))
                .anySatisfy(p -> assertThat(p).startsWith(KEY + "page-size"));
    }

    @Test
    void aMappedColumnTheSourceLacksIsAProblemThatListsTheColumns() {
        Map<String, String> keys = valid();
        keys.put(KEY + "mapping.phone", "mobile");
        WarehouseSyncConfig config = WarehouseSyncConfig.read("pos", PropertyReader.of(keys));
        SourceColumns columns = new SourceColumns(List.of(
                new SourceColumns.Column(1, "event_ts", Types.TIMESTAMP_WITH_TIMEZONE, "timestamptz"),
                new SourceColumns.Column(2, "metric_name", Types.VARCHAR, "text"),
                new SourceColumns.Column(3, "EMAIL", Types.VARCHAR, "text"),
                new SourceColumns.Column(4, "updated_at", Types.TIMESTAMP_WITH_TIMEZONE, "timestamptz")));

        assertThat(MappingCheck.columns(config, columns)).singleElement().asString()
                .startsWith(KEY + "mapping.phone names column 'mobile', which pos_events does not have")
                .contains("event_ts, metric_name, EMAIL, updated_at");
    }
}
