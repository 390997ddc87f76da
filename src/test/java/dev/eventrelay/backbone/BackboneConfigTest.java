package dev.eventrelay.backbone;

import dev.eventrelay.settings.ConfigException;
import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.support.RelayUnderTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** relay.backbone.*: the defaults, and a problem naming the key for each wrong value. */
class BackboneConfigTest {

    @Test
    void withoutKeysTheBackboneIsTheStoresEventLog() {
        PropertyReader p = PropertyReader.of(Map.of());

        BackboneConfig config = BackboneConfig.read(p);

        assertThat(p.problems()).isEmpty();
        assertThat(config.kafka()).isFalse();
        assertThat(config).isEqualTo(BackboneConfig.DEFAULT);
    }

    @Test
    void kafkaTakesItsBrokersTopicPartitionsAndReplicationFactor() {
        PropertyReader p = PropertyReader.of(Map.of("relay.backbone.kind", "kafka",
                "relay.backbone.kafka.bootstrap-servers", "k1.example:9092, k2.example:9093",
                "relay.backbone.kafka.topic", "events.v1", "relay.backbone.kafka.partitions", "12",
                "relay.backbone.kafka.replication-factor", "3"));

        BackboneConfig config = BackboneConfig.read(p);

        assertThat(p.problems()).isEmpty();
        assertThat(config).isEqualTo(new BackboneConfig("kafka", "k1.example:9092, k2.example:9093", "events.v1", 12,
                (short) 3, 300_000));
    }

    @Test
    void eachWrongValueIsAProblemNamingItsKey() {
        PropertyReader p = PropertyReader.of(Map.of("relay.backbone.kind", "kafak",
                "relay.backbone.kafka.bootstrap-servers", "k1.example",
                "relay.backbone.kafka.topic", "relay events", "relay.backbone.kafka.partitions", "0",
                "relay.backbone.kafka.replication-factor", "x"));

        BackboneConfig.read(p);

        assertThat(p.problems()).hasSize(5).anySatisfy(m -> assertThat(m).startsWith("relay.backbone.kind is 'kafak'"))
                .anySatisfy(m -> assertThat(m).startsWith("relay.backbone.kafka.bootstrap-servers has 'k1.example'"))
                .anySatisfy(m -> assertThat(m).startsWith("relay.backbone.kafka.topic is 'relay events'"))
                .anySatisfy(m -> assertThat(m).startsWith("relay.backbone.kafka.partitions is 0"))
                .anySatisfy(m -> assertThat(m).startsWith("relay.backbone.kafka.replication-factor 'x'"));
    }

    @Test
    void kafkaWithoutBrokersIsAProblemNamingTheKey() {
        PropertyReader p = PropertyReader.of(Map.of("relay.backbone.kind", "kafka"));

        BackboneConfig.read(p);

        assertThat(p.problems()).singleElement().asString()
                .startsWith("relay.backbone.kafka.bootstrap-servers is required");
    }

    @Test
    void startUpStopsNamingTheBrokersKeyWhenNoBrokerAnswers() throws Exception {
        String nobody = "127.0.0.1:" + RelayUnderTest.freePort();
        BackboneConfig config = new BackboneConfig("kafka", nobody, "relay-events", 3, (short) 1, 300_000);

        assertThatThrownBy(() -> KafkaTopic.ensure(config, 1_500)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("relay.backbone.kafka.bootstrap-servers: no Kafka broker of " + nobody
                        + " answered within 1.5 s");
    }
}
