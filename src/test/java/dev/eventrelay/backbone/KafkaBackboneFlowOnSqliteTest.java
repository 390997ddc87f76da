package dev.eventrelay.backbone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import static dev.eventrelay.support.RelayUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The kafka backbone end to end with the embedded SQLite state store; also a warehouse sync, page by page. */
class KafkaBackboneFlowOnSqliteTest extends KafkaBackboneFlowTest {

    @Override
    protected String newStoreUrl() {
        return StoreDatabases.sqlite(dir);
    }

    @Test
    void aWarehouseSyncsPagesGoToTheTopicAndArriveAtTheHook() throws Exception {
        String warehouse = "jdbc:h2:file:" + dir.resolve("warehouse").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(warehouse, "sa", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id VARCHAR(20) PRIMARY KEY, email VARCHAR(100), placed_at TIMESTAMP,"
                    + " updated_at TIMESTAMP)");
            for (int i = 1; i <= 7; i++) {
                s.execute("INSERT INTO orders VALUES ('o-" + i + "', 'c" + i + "@example.com', TIMESTAMP"
                        + " '2026-11-22 10:00:0" + i + "', TIMESTAMP '2026-11-22 11:00:0" + i + "')");
            }
        }
        String key = "relay.sync.orders.";
        config.put(key + "jdbc.url", warehouse);
        config.put(key + "jdbc.user", "sa");
        config.put(key + "table", "orders");
        config.put(key + "schedule", "0 0 0 1 1 ? 2099");
        config.put(key + "page-size", "3");
        config.put(key + "event-type", "order_placed");
        config.put(key + "mapping.event-date", "placed_at");
        config.put(key + "mapping.email", "email");
        config.put(key + "mapping.changed-at", "updated_at");
        config.put(key + "mapping.unique-id", "id");
        relay = new RelayUnderTest(config).start();

        JsonNode run = relay.runImport("orders");

        assertThat(run.get("processing_status").asText()).as(run.toString()).isEqualTo("Processed");
        assertThat(awaitEvents(7)).extracting(e -> e.at("/profile/email").asText()).doesNotHaveDuplicates();
        assertThat(topicRecords(7)).extracting(ConsumerRecord::key).hasSize(7).allMatch(k -> k.endsWith("@example.com"));
        await("7 events delivered", Duration.ofSeconds(10), () -> relay.hook("webhook"),
                h -> h.get("delivered").asLong() == 7);
    }
}
