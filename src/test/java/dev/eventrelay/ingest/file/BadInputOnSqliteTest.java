package dev.eventrelay.ingest.file;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static dev.eventrelay.support.GeneratedInput.lines;
import static dev.eventrelay.support.GeneratedInput.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad input corpus through the service with the embedded SQLite state store, plus the big files
 * (run once, on the default store): 10,000 columns and 300,000 rows.
 */
class BadInputOnSqliteTest extends BadInputFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.sqlite(Files.createTempDirectory(dir, "store"));
    }

    @Test
    void tenThousandColumnsAreRejectedByDefaultAndImportedWhenTheLimitsAllowThem() throws Exception {
        String header = "externalId,eventDate," + LongStream.rangeClosed(3, 10_000).mapToObj(i -> "p" + i)
                .collect(Collectors.joining(","));
        String row = "w-1," + DATE + "," + LongStream.rangeClosed(3, 10_000).mapToObj(i -> "v" + i)
                .collect(Collectors.joining(","));
        put(dropName(1), utf8(header + "\n" + row + "\n"));
        relay = new RelayUnderTest(config).start();

        JsonNode refused = run(Duration.ofSeconds(60));

        assertRejected(refused, dropName(1), "the header has 10,000 columns; at most 1,000 are allowed"
                + " (relay.imports.csv.max-columns)");
        relay.stop();
        config.put("relay.imports.csv.max-columns", "10000");
        config.put("relay.imports.csv.max-row-chars", "200000");
        put(dropName(2), utf8(header + "\n" + row + "\n" + row.replace("w-1", "w-2") + "\n"));
        relay = new RelayUnderTest(config).start();

        JsonNode wide = run(Duration.ofSeconds(60));

        assertThat(file(wide, dropName(2)).get("status").asText()).isEqualTo("Imported");
        List<JsonNode> events = delivered(2, Duration.ofSeconds(60));
        assertEachRowOnce(events, dropName(2), Set.of(1L, 2L));
        assertThat(events.get(0).get("properties").size()).isEqualTo(9_998);
        assertThat(events.get(1).at("/properties/p10000").asText()).isEqualTo("v10000");
    }

    @Test
    void aFileOf300000RowsIsImportedWholeWithItsBadRowsRejectedOneByOne() throws Exception {
        long rows = 300_000;
        String purchases = dropName("UDE_1JIJANUWB", 1);
        put(purchases, lines("externalId,eventDate,device,amount", rows,
                n -> "c-" + n + "," + DATE + ",web," + (n % 10_000 == 0 ? "lots" : String.valueOf(n))));
        relay = new RelayUnderTest(config).start();
        long started = System.nanoTime();

        JsonNode run = run(Duration.ofMinutes(5));

        JsonNode file = file(run, purchases);
        assertThat(file.get("status").asText()).isEqualTo("Imported");
        assertThat(file.get("rows_total").asLong()).isEqualTo(rows);
        assertThat(file.get("rows_errored").asLong()).isEqualTo(30);
        List<JsonNode> events = delivered(rows - 30, Duration.ofMinutes(5));
        System.out.printf("300,000-row file: imported and delivered in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertEachRowOnce(events, purchases, LongStream.rangeClosed(1, rows).filter(n -> n % 10_000 != 0).boxed()
                .collect(Collectors.toSet()));
        String errors = relay.get("/api/runs/" + run.get("id").asText() + "/errors.csv").body();
        assertThat(errors.lines()).hasSize(31).last().asString().contains(",300000,amount 'lots' is not a number,");
    }

    @Test
    void aConnectionThatBreaksWhileAFileIsReadDeliversNoneOfItAndTheNextRunImportsItWhole() throws Exception {
        long rows = 100_000;
        String purchases = dropName("UDE_1JIJANUWB", 1);
        put(purchases, lines("externalId,eventDate,amount", rows, n -> "c-" + n + "," + DATE + "," + n));
        relay = new RelayUnderTest(config).start();
        HttpResponse<String> started = relay.post("/api/imports/default/run");
        String runId = JSON.readTree(started.body()).get("run_id").asText();
        RelayUnderTest.await("the file to be read", Duration.ofMinutes(2), () -> relay.getJson("/api/runs/" + runId),
                r -> r.get("files").size() == 1 && r.get("files").get(0).get("rows_total").asLong() > 0);

        sftp.stop();

        JsonNode broken = RelayUnderTest.await("run " + runId + " to end", Duration.ofMinutes(2),
                () -> relay.getJson("/api/runs/" + runId), r -> !"Processing".equals(r.get("processing_status").asText()));
        JsonNode file = file(broken, purchases);
        assertThat(file.get("status").asText()).isEqualTo("Failed");
        assertThat(file.get("rows_total").asLong()).isLessThan(rows);
        assertThat(broken.get("processing_status").asText()).isEqualTo("Failed");
        assertThat(relay.hook("all-events").get("delivered").asLong()).isZero();
        sftp.start();

        JsonNode next = run(Duration.ofMinutes(5));

        assertThat(file(next, purchases).get("status").asText()).isEqualTo("Imported");
        assertThat(file(next, purchases).get("rows_processed").asLong()).isEqualTo(rows);
        assertEachRowOnce(delivered(rows, Duration.ofMinutes(5)), purchases,
                LongStream.rangeClosed(1, rows).boxed().collect(Collectors.toSet()));
    }
}
