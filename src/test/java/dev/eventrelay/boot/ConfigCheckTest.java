package dev.eventrelay.boot;

import dev.eventrelay.settings.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command bin/check-config, through its main logic: what it prints and its exit code. */
class ConfigCheckTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void theShippedConfigurationIsReportedOkWithWhatItConfigures() {
        int exit = ConfigCheck.run(new String[0], out, Map.of());

        assertThat(exit).isZero();
        assertThat(output().lines().findFirst()).hasValue("configuration OK: application.properties: 1 import,"
                + " 0 warehouse syncs, 2 event types, 2 hooks");
        assertThat(output()).contains("\n  relay.store.url = jdbc:")
                .doesNotContain("(environment variable").doesNotContain("(system property");
    }

    @Test
    void aKeyMayBeSetByAnEnvironmentVariableOrASystemPropertyAndTheCheckSaysWhereEachValueCameFrom() {
        ConfigSources sources = new ConfigSources(
                Map.of("RELAY_STORE_POOL_SIZE", "7", "RELAY_API_TOKEN", "a-token-from-the-environment"),
                Map.of("relay.store.pool-size", "9", "relay.hook.all-events.retry.times", "2"));

        int exit = ConfigCheck.run(new String[0], out, sources);

        assertThat(exit).as(output()).isZero();
        assertThat(output())
                .contains("\n  relay.store.pool-size = 7   (environment variable RELAY_STORE_POOL_SIZE)\n")
                .contains("\n  relay.api.token = ******   (environment variable RELAY_API_TOKEN)\n")
                .contains("\n  relay.hook.all-events.retry.times = 2   (system property -Drelay.hook.all-events.retry.times)\n")
                .doesNotContain("a-token-from-the-environment")
                .containsPattern("\n  relay\\.store\\.url = .*\\(file application\\.properties\\)\n");
    }

    @Test
    void aBadValueFromTheEnvironmentIsRefusedLikeOneFromTheFile() {
        int exit = ConfigCheck.run(new String[0], out,
                new ConfigSources(Map.of("RELAY_STORE_POOL_SIZE", "1"), Map.of()));

        assertThat(exit).isEqualTo(1);
        assertThat(output()).contains("\nrelay.store.pool-size is 1; it must be between 2 and 200\n");
    }

    @Test
    void aSystemPropertyWithATypoInAKnownBlockIsReportedWithTheNearestKey() {
        int exit = ConfigCheck.run(new String[0], out,
                new ConfigSources(Map.of(), Map.of("relay.hook.all-events.retry.time", "3")));

        assertThat(exit).isEqualTo(1);
        assertThat(output()).contains("\nrelay.hook.all-events.retry.time is not a known key; did you mean"
                + " relay.hook.all-events.retry.times?\n");
    }

    @Test
    void everyProblemIsPrintedOnItsOwnLineStartingWithItsKeyAndTheExitCodeIsOne() throws Exception {
        Path file = ConfigCopy.shipped()
                .set("relay.hook.all-events.retry.time", "3")
                .set("relay.import.default.schedule", "0 0 2 * * *")
                .set("relay.store.pool-size", "1")
                .writeTo(temp.resolve("broken.properties"));

        int exit = ConfigCheck.run(new String[] {file.toString()}, out, Map.of());

        assertThat(exit).isEqualTo(1);
        assertThat(output().lines()).hasSize(4);
        assertThat(output().lines().findFirst()).hasValue(file + " has 3 problems; the service would not start:");
        assertThat(output()).contains("\nrelay.hook.all-events.retry.time is not a known key; did you mean"
                        + " relay.hook.all-events.retry.times?\n")
                .contains("\nrelay.import.default.schedule '0 0 2 * * *' is not a Quartz cron expression")
                .contains("\nrelay.store.pool-size is 1; it must be between 2 and 200\n");
    }

    @Test
    void aWarehouseSyncThatWillNotStartIsListedApartAndFailsTheCheck() throws Exception {
        Path file = ConfigCopy.shipped()
                .set("relay.sync.pos.jdbc.url", "jdbc:h2:mem:check")
                .set("relay.sync.pos.table", "pos_events")
                .set("relay.sync.pos.mapping.event-date", "event_ts")
                .set("relay.sync.pos.event-type", "Purchase")
                .set("relay.sync.pos.mapping.email", "email")
                .writeTo(temp.resolve("sync.properties"));

        int exit = ConfigCheck.run(new String[] {file.toString()}, out, Map.of());

        assertThat(exit).isEqualTo(1);
        assertThat(output()).isEqualTo("warehouse syncs that will not start (the rest would run):\n"
                + "relay.sync.pos.mapping.changed-at is required: name the column that says when a row was added or"
                + " last changed\n");
    }

    @Test
    void theFirstFileThatSetsAKeyWinsAsForTheService() throws Exception {
        Path profile = Files.writeString(temp.resolve("profile.properties"), "relay.imports.chunk.rows = 0\n");
        Path base = ConfigCopy.shipped().writeTo(temp.resolve("base.properties"));

        int profileFirst = ConfigCheck.run(new String[] {profile.toString(), base.toString()}, out, Map.of());
        int baseFirst = ConfigCheck.run(new String[] {base.toString(), profile.toString()}, out, Map.of());

        assertThat(profileFirst).isEqualTo(1);
        assertThat(output()).contains("\nrelay.imports.chunk.rows is 0; it must be between 1 and 100000\n");
        assertThat(baseFirst).isZero();
    }

    @Test
    void aFileThatCannotBeReadIsSaidSoWithExitCodeTwo() {
        Path missing = temp.resolve("missing.properties");

        int exit = ConfigCheck.run(new String[] {missing.toString()}, out, Map.of());

        assertThat(exit).isEqualTo(2);
        assertThat(output()).isEqualTo(missing + " cannot be read\n");
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
