package dev.eventrelay.ingest.warehouse;

import dev.eventrelay.settings.PropertyReader;
import org.junit.jupiter.api.Test;

import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The keyset SQL of a sync's pages, for a table and for a wrapped query, with and without a unique id. */
class PageQueryTest {

    private static final String KEY = "relay.sync.pos.";
    private static final SourceColumns COLUMNS = new SourceColumns(List.of(
            new SourceColumns.Column(1, "event_uid", Types.VARCHAR, "text"),
            new SourceColumns.Column(2, "updated_at", Types.TIMESTAMP_WITH_TIMEZONE, "timestamptz")));
    private static final PageQuery.Position AFTER =
            new PageQuery.Position(OffsetDateTime.parse("2026-11-21T00:00:00Z"), "pos-2");

    private static WarehouseSyncConfig config(String source, String value, boolean uniqueId) {
        Map<String, String> keys = new HashMap<>();
        keys.put(KEY + "jdbc.url", "jdbc:postgresql://127.0.0.1:5432/warehouse");
        keys.put(KEY + source, value);
        keys.put(KEY + "page-size", "2");
        keys.put(KEY + "mapping.changed-at", "updated_at");
        if (uniqueId) {
            keys.put(KEY + "mapping.unique-id", "event_uid");
        }
        return WarehouseSyncConfig.read("pos", PropertyReader.of(keys));
    }

    @Test
    void aPageAfterTheCursorContinuesInsideItsTimestampByKey() {
        PageQuery query = new PageQuery(config("table", "pos_events", true), COLUMNS);

        assertThat(query.sql(AFTER, null)).isEqualTo("SELECT * FROM pos_events WHERE \"updated_at\" >= ? AND"
                + " (\"updated_at\" > ? OR (\"updated_at\" = ? AND \"event_uid\" > ?)) ORDER BY \"updated_at\","
                + " \"event_uid\" LIMIT 2");
    }

    @Test
    void theFirstPageStartsAtStartAtOrAtTheOldestRow() {
        PageQuery query = new PageQuery(config("table", "pos_events", true), COLUMNS);

        assertThat(query.sql(null, OffsetDateTime.parse("2026-01-01T00:00:00Z")))
                .isEqualTo("SELECT * FROM pos_events WHERE \"updated_at\" >= ? ORDER BY \"updated_at\", \"event_uid\""
                        + " LIMIT 2");
        assertThat(query.sql(null, null)).contains("WHERE \"updated_at\" IS NOT NULL ORDER BY");
    }

    @Test
    void aQueryIsWrappedAsADerivedTable() {
        PageQuery query = new PageQuery(config("query", "SELECT * FROM pos_events WHERE currency = 'EUR'", true),
                COLUMNS);

        assertThat(query.sql(AFTER, null))
                .startsWith("SELECT * FROM (SELECT * FROM pos_events WHERE currency = 'EUR') relay_source WHERE");
    }

    @Test
    void withoutAUniqueIdAPageHoldsWholeChangeTimestamps() {
        PageQuery query = new PageQuery(config("table", "pos_events", false), COLUMNS);

        assertThat(query.hasKey()).isFalse();
        assertThat(query.sql(new PageQuery.Position(AFTER.changedAt(), null), null)).isEqualTo(
                "SELECT * FROM pos_events WHERE \"updated_at\" > ? AND \"updated_at\" <= (SELECT MAX(\"updated_at\")"
                        + " FROM (SELECT \"updated_at\" FROM pos_events WHERE \"updated_at\" > ? ORDER BY \"updated_at\""
                        + " LIMIT 2) relay_page) ORDER BY \"updated_at\"");
        assertThat(query.mayHaveMore(3)).isTrue();
        assertThat(query.mayHaveMore(1)).isFalse();
    }
}
