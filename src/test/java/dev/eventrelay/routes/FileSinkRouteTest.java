package dev.eventrelay.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.support.Outbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The file destination's sink ({@code routes/hook-sink-file.camel.yaml}) behind the real hook route. */
class FileSinkRouteTest {

    @TempDir
    Path dir;
    private HookRoutes routes;

    @AfterEach
    void stop() {
        if (routes != null) {
            routes.close();
        }
    }

    @Test
    void batchesAreAppendedAsJsonLinesToTheHooksFileOfTheDay() throws Exception {
        Path outbox = dir.resolve("outbox");
        routes = new HookRoutes(dir, Map.of("destination", "file", "file.folder", outbox.toString(),
                "batch.max-events", "2")).start();
        List<String> ids = routes.publish(3, "Purchase");

        List<JsonNode> lines = Outbox.await(outbox, 3);
        assertThat(lines).extracting(line -> line.get("event_id").asText()).containsExactlyElementsOf(ids);
        assertThat(lines).allSatisfy(line -> assertThat(line.get("hook").asText()).isEqualTo(HookRoutes.HOOK));
        try (var files = Files.list(outbox)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(
                    HookRoutes.HOOK + "-" + LocalDate.now(ZoneOffset.UTC) + ".jsonl");
        }
        routes.awaitState("3 events delivered", s -> s.delivered() == 3);
    }

    @Test
    void aFolderThatCannotBeWrittenIsAFailedBatchThatIsRetried() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("a-file"), "not a folder");
        routes = new HookRoutes(dir, Map.of("destination", "file", "file.folder", notAFolder.toString(),
                "retry.period.seconds", "3600")).start();
        routes.publish(2, "Purchase");

        var state = routes.awaitState("a retry scheduled", s -> s.attempts() == 1);
        assertThat(state.pendingEvents()).isEqualTo(2);
        assertThat(state.delivered()).isZero();
        assertThat(routes.deadLetters()).isEmpty();
    }
}
