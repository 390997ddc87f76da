package dev.eventrelay.backbone;

import dev.eventrelay.state.EventLog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * An accepted event as a record of the backbone's topic: key = the profile key (the first present of external_id,
 * customer_id, email, phone, as the kafka destination keys its records, so one profile's events share a partition and
 * keep their order; none for a profile without identifiers and for system events), value = the event's contract
 * JSON, timestamp = its {@code received_at}, headers {@code event_id} and {@code event_type}.
 */
final class BackboneRecords {

    static final String EVENT_ID = "event_id";
    static final String EVENT_TYPE = "event_type";

    private BackboneRecords() {
    }

    static ProducerRecord<String, String> of(String topic, EventLog.Entry entry) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EVENT_ID, utf8(entry.eventId()));
        headers.add(EVENT_TYPE, utf8(entry.eventType()));
        return new ProducerRecord<>(topic, null, entry.receivedAtMs(), entry.profileKey(), entry.json(), headers);
    }

    /** The entry of a record; its {@code logId} is the record's offset. */
    static EventLog.Entry entry(ConsumerRecord<String, String> record) {
        return new EventLog.Entry(record.offset(), header(record, EVENT_ID), header(record, EVENT_TYPE), record.value(),
                record.key(), record.timestamp());
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }
}
