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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The raw pipelines the import and the sync are measured against, built from the same libraries: Commons CSV (or a
 * streaming JDBC read) row by row, each row written once as event JSON by Jackson's streaming generator, and the
 * JSON batch-inserted into the event log of a store opened exactly as the service opens it ({@link StateStore}: the
 * same URL, driver settings and durability), one transaction per {@value #CHUNK} rows as the service's
 * {@code relay.imports.chunk.rows} default, with the columns the import fills. No validation, no typing, no ledger:
 * what the parts alone cost. For the measure that ends in the file hook's outbox, {@link #deliverToFile} does the
 * delivery's parts too (read back by pages, append, force, commit the position).
 */
final class RawPipeline implements AutoCloseable {

    static final int CHUNK = 1000;
    private static final JsonFactory JSON = new JsonFactory();

    private final StateStore store;
    private final long segmentId;
    private final List<String[]> pending = new ArrayList<>(CHUNK);
    private final Instant now = Instant.now();
    private final String receivedAt = now.toString();
    private final long receivedAtMs = now.toEpochMilli();
    private final String runId;
    private long written;
    private long deliveredUpTo;

    /** Opens (and migrates) the store at {@code url} and stages one segment for the rows. */
    RawPipeline(String url, String user, String password) {
        store = new StateStore(url, user, password, 2);
        store.migrate();
        store.start();
        runId = new RunStore(store).create("bench-raw", "upload", "manual", Instant.now());
        EventLog events = new EventLog(store);
        segmentId = store.inTransaction(c -> events.openSegment(c, runId, Instant.now()));
    }

    /** Commons CSV over {@code csv}: every record written as an event and inserted; returns the rows. */
    long importCsv(Path csv, long limit) throws IOException {
        return importCsv(Files.newInputStream(csv), csv.getFileName().toString(), limit);
    }

    /** Commons CSV over the UTF-8 bytes of {@code stream} (closed at the end), every record written and inserted. */
    long importCsv(InputStream stream, String fileName, long limit) throws IOException {
        long rows = 0;
        try (Reader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            List<String> header = parser.getHeaderNames();
            for (CSVRecord record : parser) {
                add(csvEvent(header, record, fileName));
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
                    add(new String[] {id, "Purchase", out.getAndClear(), null});
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

    /**
     * The record as an event with the fields the import writes (the values as text, untyped): the profile, value,
     * currency, product ids, the other columns as properties, and the origin with import, file, row and run.
     */
    private String[] csvEvent(List<String> header, CSVRecord record, String fileName) {
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
                json.writeStringField("import", "default");
                json.writeStringField("channel", Benchmarks.CHANNEL);
                json.writeStringField("event_code", Benchmarks.EVENT_CODE);
                json.writeStringField("file", fileName);
                json.writeNumberField("row", record.getRecordNumber());
                json.writeStringField("run_id", runId);
                json.writeEndObject();
                json.writeEndObject();
            }
            return new String[] {id, "Purchase", out.getAndClear(), record.get(0)};
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
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO event_log (segment_id, event_id,"
                    + " event_type, body, profile_key, received_at_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (String[] event : pending) {
                    insert.setLong(1, segmentId);
                    insert.setString(2, event[0]);
                    insert.setString(3, event[1]);
                    insert.setString(4, event[2]);
                    insert.setString(5, event[3]);
                    insert.setLong(6, receivedAtMs);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
        written += pending.size();
        pending.clear();
    }

    /**
     * What the file hook does after the import, done plainly: the events read back from the event log in pages of
     * {@code page} (keyset on the id), each page appended as JSON lines (the event plus the hook's fields) to
     * {@code file}, then the position committed in the store. Not forced to disk: neither is the file hook's
     * append (Camel 4.14's file producer never reads its {@code forceWrites} option). Returns the events written.
     */
    long deliverToFile(Path file, int page) throws IOException {
        if (deliveredUpTo == 0) {
            store.inTransaction(c -> {
                try (Statement ddl = c.createStatement()) {
                    ddl.executeUpdate("CREATE TABLE IF NOT EXISTS bench_raw_cursor (id INTEGER PRIMARY KEY, log_id BIGINT)");
                    ddl.executeUpdate("DELETE FROM bench_raw_cursor");
                    ddl.executeUpdate("INSERT INTO bench_raw_cursor (id, log_id) VALUES (1, 0)");
                }
                return null;
            });
        }
        long delivered = 0;
        long after = deliveredUpTo;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (true) {
                long from = after;
                StringBuilder lines = new StringBuilder(page * 900);
                long[] last = {from, 0};
                store.read(c -> {
                    try (PreparedStatement query = c.prepareStatement("SELECT id, body FROM event_log"
                            + " WHERE segment_id = ? AND id > ? ORDER BY segment_id, id LIMIT ?")) {
                        query.setLong(1, segmentId);
                        query.setLong(2, from);
                        query.setInt(3, page);
                        try (ResultSet rows = query.executeQuery()) {
                            while (rows.next()) {
                                last[0] = rows.getLong(1);
                                last[1]++;
                                String body = rows.getString(2);
                                lines.append(body, 0, body.lastIndexOf('}'))
                                        .append(",\"hook\":\"all-events\",\"custom_data\":{}}\n");
                            }
                        }
                    }
                    return null;
                });
                if (last[1] == 0) {
                    return delivered;
                }
                ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(lines));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                after = last[0];
                deliveredUpTo = after;
                store.inTransaction(c -> {
                    try (PreparedStatement update = c.prepareStatement("UPDATE bench_raw_cursor SET log_id = ? WHERE id = 1")) {
                        update.setLong(1, last[0]);
                        update.executeUpdate();
                    }
                    return null;
                });
                delivered += last[1];
            }
        }
    }

    long written() {
        return written;
    }

    @Override
    public void close() {
        store.stop();
    }
}
