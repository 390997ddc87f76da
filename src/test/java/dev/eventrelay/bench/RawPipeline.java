package dev.eventrelay.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The raw pipelines the import and the sync are measured against, built from the same libraries: Commons CSV (or a
 * streaming JDBC read) row by row, each row written once as event JSON by Jackson's streaming generator, and the
 * JSON batch-inserted into the event log of a store opened exactly as the service opens it ({@link StateStore}: the
 * same URL, driver settings and durability), one transaction per {@value #CHUNK} rows as the service's
 * {@code relay.imports.chunk.rows} default. No validation, no typing, no ledger, no delivery: what the parts alone cost.
 */
final class RawPipeline implements AutoCloseable {

    static final int CHUNK = 1000;
    private static final JsonFactory JSON = new JsonFactory();

    private final StateStore store;
    private final long segmentId;
    private final List<String[]> pending = new ArrayList<>(CHUNK);
    private final String receivedAt = Instant.now().toString();
    private long written;

    /** Opens (and migrates) the store at {@code url} and stages one segment for the rows. */
    RawPipeline(String url, String user, String password) {
        store = new StateStore(url, user, password, 2);
        store.migrate();
        store.start();
        String runId = new RunStore(store).create("bench-raw", "upload", "manual", Instant.now());
        EventLog events = new EventLog(store);
        segmentId = store.inTransaction(c -> events.openSegment(c, runId, Instant.now()));
    }

    /** Commons CSV over {@code csv}: every record written as an event and inserted; returns the rows. */
    long importCsv(Path csv, long limit) throws IOException {
        long rows = 0;
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            List<String> header = parser.getHeaderNames();
            for (CSVRecord record : parser) {
                add(csvEvent(header, record));
                if (++rows == limit) {
                    break;
                }
            }
        }
        flush();
        return rows;
    }

    /** Every row of {@code rows} written as an event (all columns as fields) and inserted; returns the rows. */
    long importRows(ResultSet rows, long limit) throws SQLException {
        long count = 0;
        ResultSetMetaData meta = rows.getMetaData();
        int columns = meta.getColumnCount();
        String[] names = new String[columns];
        for (int i = 0; i < columns; i++) {
            names[i] = meta.getColumnLabel(i + 1);
        }
        while (count < limit && rows.next()) {
            BufferRecycler buffers = JSON._getBufferRecycler();
            try (SegmentedStringWriter out = new SegmentedStringWriter(buffers)) {
                try (JsonGenerator json = JSON.createGenerator(out)) {
                    String id = UUID.randomUUID().toString();
                    json.writeStartObject();
                    json.writeStringField("event_id", id);
                    json.writeStringField("received_at", receivedAt);
                    json.writeObjectFieldStart("properties");
                    for (int i = 0; i < columns; i++) {
                        Object value = rows.getObject(i + 1);
                        if (value != null) {
                            json.writeStringField(names[i], value.toString());
                        }
                    }
                    json.writeEndObject();
                    json.writeEndObject();
                    json.flush();
                    add(new String[] {id, "Purchase", out.getAndClear()});
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                buffers.releaseToPool();
            }
            count++;
        }
        flush();
        return count;
    }

    private String[] csvEvent(List<String> header, CSVRecord record) {
        BufferRecycler buffers = JSON._getBufferRecycler();
        try (SegmentedStringWriter out = new SegmentedStringWriter(buffers)) {
            String id = UUID.randomUUID().toString();
            try (JsonGenerator json = JSON.createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("event_id", id);
                json.writeStringField("event_type", "Purchase");
                json.writeStringField("event_date", record.get(1));
                json.writeStringField("received_at", receivedAt);
                json.writeObjectFieldStart("profile");
                json.writeStringField("external_id", record.get(0));
                json.writeStringField("email", record.get(2));
                json.writeStringField("phone", record.get(3));
                json.writeEndObject();
                json.writeFieldName("value");
                json.writeNumber(record.get(4));
                json.writeStringField("value_currency", record.get(5));
                json.writeArrayFieldStart("product_ids");
                for (String product : record.get(6).split("\\|")) {
                    json.writeString(product);
                }
                json.writeEndArray();
                json.writeObjectFieldStart("properties");
                for (int i = 7; i < record.size(); i++) {
                    json.writeStringField(header.get(i), record.get(i));
                }
                json.writeEndObject();
                json.writeObjectFieldStart("origin");
                json.writeStringField("kind", "sftp");
                json.writeNumberField("row", record.getRecordNumber());
                json.writeEndObject();
                json.writeEndObject();
            }
            return new String[] {id, "Purchase", out.getAndClear()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            buffers.releaseToPool();
        }
    }

    private void add(String[] event) {
        pending.add(event);
        if (pending.size() == CHUNK) {
            flush();
        }
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        store.inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO event_log (segment_id, event_id, event_type, body) VALUES (?, ?, ?, ?)")) {
                for (String[] event : pending) {
                    insert.setLong(1, segmentId);
                    insert.setString(2, event[0]);
                    insert.setString(3, event[1]);
                    insert.setString(4, event[2]);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
        written += pending.size();
        pending.clear();
    }

    long written() {
        return written;
    }

    @Override
    public void close() {
        store.stop();
    }
}
