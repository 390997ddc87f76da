package dev.eventrelay.bench;

import dev.eventrelay.model.RowCounts;
import dev.eventrelay.settings.StoreUrls;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Durable inserts per second through the store's own write path of an import (a program, not a test): rows of
 * about 800 bytes in chunks of 1,000, each chunk one transaction ({@link EventLog#append} and the file's counts, as
 * the importer writes them), one segment published at the end. Stores: the shipped SQLite settings (WAL,
 * synchronous=FULL: an fsync per commit), H2 as it was shipped before (WRITE_DELAY=0, which never forces a commit to
 * disk), and PostgreSQL on 127.0.0.1:5432 (reWriteBatchedInserts as the store sets it). A warm-up pass of the same
 * size per store is not counted.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.eventrelay.bench.StoreWriteBenchmark -Dexec.args="200000"</pre>
 */
public final class StoreWriteBenchmark {

    private static final int CHUNK = 1_000;

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path dir = Files.createTempDirectory("store-bench");
        String body = body();
        System.out.printf("| store | durable inserts/s (%,d rows of %d bytes, %,d per commit) |%n|---|---:|%n", rows,
                body.length(), CHUNK);
        System.out.printf("| SQLite (WAL, synchronous=FULL) | %,.0f |%n", measure(StoreDatabases.sqlite(dir.resolve("sqlite")),
                null, null, rows, body));
        System.out.printf("| H2 2.3 (WRITE_DELAY=0, no fsync) | %,.0f |%n", measure("jdbc:h2:file:" + dir.resolve("h2/state")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0", "sa", "", rows, body));
        String pg = StoreDatabases.newPostgres();
        try {
            System.out.printf("| PostgreSQL 15 (reWriteBatchedInserts) | %,.0f |%n", measure(pg, StoreDatabases.POSTGRES_USER,
                    StoreDatabases.POSTGRES_PASSWORD, rows, body));
            System.out.printf("| PostgreSQL 15 (plain JDBC batches) | %,.0f |%n", measure(pg + "?reWriteBatchedInserts=false",
                    StoreDatabases.POSTGRES_USER, StoreDatabases.POSTGRES_PASSWORD, rows, body));
        } finally {
            StoreDatabases.dropPostgres(pg);
        }
        System.out.println("(" + StoreUrls.DEFAULT + ")");
    }

    /** Rows per second of the measured pass, after a warm-up pass of the same size. */
    private static double measure(String url, String user, String password, int rows, String body) {
        StateStore store = new StateStore(url, user, password, 4);
        try {
            store.migrate();
            write(store, rows, body);
            long start = System.nanoTime();
            write(store, rows, body);
            return rows / ((System.nanoTime() - start) / 1e9);
        } finally {
            store.stop();
        }
    }

    private static void write(StateStore store, int rows, String body) {
        RunStore runs = new RunStore(store);
        EventLog events = new EventLog(store);
        String runId = runs.create("bench", "sftp", "manual", Instant.now());
        long[] ids = store.inTransaction(c -> {
            long file = runs.addFile(c, runId, "bench.csv", null, null, Instant.now());
            return new long[] {file, events.openSegment(c, runId, Instant.now())};
        });
        for (int done = 0; done < rows; done += CHUNK) {
            List<EventLog.Entry> chunk = new ArrayList<>(CHUNK);
            for (int i = 0; i < CHUNK; i++) {
                chunk.add(new EventLog.Entry(0, UUID.randomUUID().toString(), "UDE_BENCH", body));
            }
            long processed = done + CHUNK;
            store.inTransaction(c -> {
                events.append(c, ids[1], chunk);
                runs.updateFile(c, ids[0], new RowCounts(processed, processed, 0, 0));
                return null;
            });
        }
        store.inTransaction(c -> events.publish(c, ids[1], Instant.now()));
    }

    private static String body() {
        StringBuilder json = new StringBuilder("{\"event_type\":\"UDE_BENCH\",\"attributes\":{");
        for (int i = 0; json.length() < 780; i++) {
            json.append("\"attribute_").append(i).append("\":\"value ").append(i).append(" of the row\",");
        }
        return json.append("\"end\":true}}").toString();
    }
}
