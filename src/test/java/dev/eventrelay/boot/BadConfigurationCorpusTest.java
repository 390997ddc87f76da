package dev.eventrelay.boot;

import dev.eventrelay.settings.ConfigException;
import dev.eventrelay.support.RelayUnderTest;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The bad-configuration corpus: each case is the shipped {@code application.properties} with one small change
 * that breaks it; the check must refuse it with a problem that starts with the exact key (or route file and
 * line) to fix and says what is wrong.
 */
class BadConfigurationCorpusTest {

    private static final String IMPORT = "relay.import.default.";
    private static final String HOOK = "relay.hook.all-events.";
    private static final String WEBHOOK = "relay.hook.orders-webhook.";
    private static final String SYNC = "relay.sync.pos.";

    @TempDir
    static Path temp;

    /** One broken configuration: what to change, the problem's first words (the key) and what it must say. */
    private interface Change {
        void apply(ConfigCopy config) throws Exception;
    }

    @BeforeAll
    static void filesTheCasesPointAt() throws Exception {
        Files.writeString(temp.resolve("garbage_key"), "this is not a private key\n");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "corpus-secret", "-C", "corpus",
                "-f", temp.resolve("encrypted_key").toString()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0).as("ssh-keygen").isTrue();
        Files.createDirectories(temp.resolve("a-folder"));
        Path routes = Files.createDirectories(temp.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                // missing keys
                bad("import without a channel", IMPORT + "channel ", "is required", c -> c.remove(IMPORT + "channel")),
                bad("import without a host", IMPORT + "sftp.host ", "is required", c -> c.remove(IMPORT + "sftp.host")),
                bad("file hook without a folder", HOOK + "file.folder ", "is required",
                        c -> c.remove(HOOK + "file.folder")),
                bad("event code without an event type name", "relay.event-type.UDE_1JIJANUWB.name ", "is required",
                        c -> c.remove("relay.event-type.UDE_1JIJANUWB.name")),
                bad("move without a folder", IMPORT + "after-import.folder ", "is required when after-import is move",
                        c -> c.set(IMPORT + "after-import", "move")),
                bad("environment variable that is not set", "relay.store.password ",
                        "reads the environment variable RELAY_CORPUS_UNSET, which is not set",
                        c -> c.set("relay.store.password", "{{env:RELAY_CORPUS_UNSET}}")),
                // wrong types
                bad("look-back that is not a number", IMPORT + "look-back.days ", "'seven' is not a whole number",
                        c -> c.set(IMPORT + "look-back.days", "seven")),
                bad("boolean that is not true or false", HOOK + "retry.exponential ", "'yes' is not true or false",
                        c -> c.set(HOOK + "retry.exponential", "yes")),
                bad("duration with a unit", "relay.delivery.retry.period.seconds ", "is not a number of seconds",
                        c -> c.set("relay.delivery.retry.period.seconds", "15s")),
                bad("pool size that is not a number", "relay.store.pool-size ", "'many' is not a whole number",
                        c -> c.set("relay.store.pool-size", "many")),
                bad("unknown destination", HOOK + "destination ", "'ftp' is not one of",
                        c -> c.set(HOOK + "destination", "ftp")),
                bad("unknown after-import action", IMPORT + "after-import ", "'archive' is not leave, move or delete",
                        c -> c.set(IMPORT + "after-import", "archive")),
                bad("attribute of an unknown type", "relay.event-type.UDE_1JIJANUWB.attributes ", "amount:money",
                        c -> c.set("relay.event-type.UDE_1JIJANUWB.attributes", "amount:money")),
                bad("numeric event type name", "relay.event-type.UDE_7KQ2LOGIN.name ", "is not a valid event type",
                        c -> c.set("relay.event-type.UDE_7KQ2LOGIN.name", "123")),
                bad("unknown time zone", IMPORT + "time-zone ", "'Mars/Olympus' is not a time zone",
                        c -> c.set(IMPORT + "time-zone", "Mars/Olympus")),
                bad("two-character delimiter", IMPORT + "csv.delimiter ", "is not a single delimiter character",
                        c -> c.set(IMPORT + "csv.delimiter", ";;")),
                bad("Camel boolean that is not one", "camel.routecontroller.enabled ", "'yes' cannot be set",
                        c -> c.set("camel.routecontroller.enabled", "yes")),
                bad("API port that is not a number", "camel.server.port ", "'eighty' cannot be set",
                        c -> c.set("camel.server.port", "eighty")),
                // out of range
                bad("SFTP port out of range", IMPORT + "sftp.port ", "it must be between 1 and 65535",
                        c -> c.set(IMPORT + "sftp.port", "70000")),
                bad("API port out of range", "camel.server.port ", "it must be between 1 and 65535",
                        c -> c.set("camel.server.port", "99999")),
                bad("embedded SFTP port zero", "relay.embedded-sftp.port ", "it must be between 1 and 65535",
                        c -> c.set("relay.embedded-sftp.port", "0")),
                bad("batch of zero events", HOOK + "batch.max-events ", "it must be between 1 and 100000",
                        c -> c.set(HOOK + "batch.max-events", "0")),
                bad("negative retries", "relay.delivery.retry.times ", "it must be between 0 and 1000",
                        c -> c.set("relay.delivery.retry.times", "-1")),
                bad("chunk of zero rows", "relay.imports.chunk.rows ", "it must be between 1 and 100000",
                        c -> c.set("relay.imports.chunk.rows", "0")),
                // bad cron
                bad("cron with hour 25", IMPORT + "schedule ", "is not a Quartz cron expression",
                        c -> c.set(IMPORT + "schedule", "0 0 25 * * ?")),
                bad("cron with both day fields", IMPORT + "schedule ", "day-of-week AND a day-of-month",
                        c -> c.set(IMPORT + "schedule", "0 0 2 * * *")),
                bad("Unix cron of five fields", IMPORT + "schedule ", "is not a Quartz cron expression",
                        c -> c.set(IMPORT + "schedule", "0 2 * * *")),
                // unknown keys and placeholders
                bad("typo in a Camel main key", "camel.main.shutdown-timout ", "is not a Camel main option",
                        c -> {
                            c.remove("camel.main.shutdown-timeout");
                            c.set("camel.main.shutdown-timout", "10");
                        }),
                bad("typo in a hook key", HOOK + "retry.time ", "did you mean " + HOOK + "retry.times?",
                        c -> c.set(HOOK + "retry.time", "3")),
                bad("typo in an import key", IMPORT + "sftp.usr ", "did you mean " + IMPORT + "sftp.user?",
                        c -> c.set(IMPORT + "sftp.usr", "relay")),
                bad("typo in an event type key", "relay.event-type.UDE_7KQ2LOGIN.attribute ",
                        "did you mean relay.event-type.UDE_7KQ2LOGIN.attributes?",
                        c -> c.set("relay.event-type.UDE_7KQ2LOGIN.attribute", "device:string")),
                bad("key of another destination", HOOK + "http.url ", "is not a known key",
                        c -> c.set(HOOK + "http.url", "https://receiver.example/hooks")),
                bad("unknown hook placeholder", WEBHOOK + "custom-data ", "unknown placeholder {{event_dat}}",
                        c -> c.set(WEBHOOK + "custom-data", "{\"day\": \"{{event_dat}}\"}")),
                bad("custom data that is not JSON", WEBHOOK + "custom-data ", "is not a JSON object",
                        c -> c.set(WEBHOOK + "custom-data", "source=event-relay")),
                // duplicate names
                bad("key written twice", IMPORT + "channel ", "is set 2 times",
                        c -> c.append(IMPORT + "channel = udc_other")),
                bad("attribute column typed twice", "relay.event-type.UDE_7KQ2LOGIN.attributes ",
                        "names the column 'device' twice", c -> c.set("relay.event-type.UDE_7KQ2LOGIN.attributes",
                                "device:string, first_login:boolean, device:number")),
                bad("custom data with a field twice", WEBHOOK + "custom-data ", "Duplicate field 'source'",
                        c -> c.set(WEBHOOK + "custom-data", "{\"source\": \"a\", \"source\": \"b\"}")),
                bad("sync named like an import", "relay.sync.default ", "has the name of relay.import.default",
                        c -> warehouseSync(c, "relay.sync.default.")),
                bad("import name with capitals", "relay.import.Partner_1.* ", "use lower-case letters",
                        c -> c.set("relay.import.Partner_1.channel", "udc_partner")),
                // bad mappings (warehouse syncs that will not start)
                bad("sync without a change column", SYNC + "mapping.changed-at ", "is required", c -> {
                    warehouseSync(c, SYNC);
                    c.remove(SYNC + "mapping.changed-at");
                }),
                bad("sync with one column mapped twice", SYNC + "mapping.phone ", "maps already", c -> {
                    warehouseSync(c, SYNC);
                    c.set(SYNC + "mapping.phone", "email");
                }),
                bad("sync with a bad cron", SYNC + "schedule ", "is not a Quartz cron expression", c -> {
                    warehouseSync(c, SYNC);
                    c.set(SYNC + "schedule", "hourly");
                }),
                bad("sync with a typo", SYNC + "page-sise ", "did you mean " + SYNC + "page-size?", c -> {
                    warehouseSync(c, SYNC);
                    c.set(SYNC + "page-sise", "500");
                }),
                // unreadable or wrong files
                bad("private key file with garbage", IMPORT + "sftp.private-key-file ",
                        "is not a private key the SFTP client can read",
                        c -> c.set(IMPORT + "sftp.private-key-file", temp.resolve("garbage_key").toString())),
                bad("private key file that is a folder", IMPORT + "sftp.private-key-file ", "cannot be read",
                        c -> c.set(IMPORT + "sftp.private-key-file", temp.resolve("a-folder").toString())),
                bad("encrypted key without its passphrase", IMPORT + "sftp.private-key-passphrase ",
                        "is required: '" + temp.resolve("encrypted_key") + "' is encrypted",
                        c -> c.set(IMPORT + "sftp.private-key-file", temp.resolve("encrypted_key").toString())),
                bad("encrypted key with a wrong passphrase", IMPORT + "sftp.private-key-passphrase ",
                        "does not open '" + temp.resolve("encrypted_key") + "'", c -> {
                            c.set(IMPORT + "sftp.private-key-file", temp.resolve("encrypted_key").toString());
                            c.set(IMPORT + "sftp.private-key-passphrase", "not-the-secret");
                        }),
                bad("known_hosts file that is missing", IMPORT + "sftp.known-hosts-file ", "cannot be read",
                        c -> c.set(IMPORT + "sftp.known-hosts-file", temp.resolve("no_known_hosts").toString())),
                // bad URLs and addresses
                bad("webhook URL without http", WEBHOOK + "http.url ", "is not an http:// or https:// URL",
                        c -> c.set(WEBHOOK + "http.url", "ftp://receiver.example/hooks")),
                bad("store URL that is not JDBC", "relay.store.url ", "is not a JDBC URL",
                        c -> c.set("relay.store.url", "postgres://localhost:5432/relay")),
                bad("H2 store (it never forces a commit to disk)", "relay.store.url ", "H2 is no longer a state store",
                        c -> c.set("relay.store.url", "jdbc:h2:file:./data/state/relay;MODE=PostgreSQL;WRITE_DELAY=0")),
                bad("SQLite store that does not sync its commits", "relay.store.url ", "synchronous=OFF in a SQLite",
                        c -> c.set("relay.store.url", "jdbc:sqlite:./data/state/relay.db?synchronous=OFF")),
                bad("SQLite store that syncs only at checkpoints", "relay.store.url ", "write synchronous=FULL",
                        c -> c.set("relay.store.url", "jdbc:sqlite:./data/state/relay.db?journal_mode=WAL&synchronous=NORMAL")),
                bad("SQLite store without a journal on disk", "relay.store.url ", "journal_mode=MEMORY in a SQLite",
                        c -> c.set("relay.store.url", "jdbc:sqlite:./data/state/relay.db?journal_mode=MEMORY")),
                bad("SQLite store in memory", "relay.store.url ", "a SQLite store must be a file",
                        c -> c.set("relay.store.url", "jdbc:sqlite::memory:")),
                bad("SFTP host written as a URL", IMPORT + "sftp.host ", "is not a host name",
                        c -> c.set(IMPORT + "sftp.host", "sftp://partner.example:22")),
                bad("Kafka broker without a port", "relay.hook.stream.kafka.bootstrap-servers ", "has 'kafka.example'",
                        c -> {
                            c.set("relay.hook.stream.destination", "kafka");
                            c.set("relay.hook.stream.kafka.topic", "events");
                            c.set("relay.hook.stream.kafka.bootstrap-servers", "kafka.example");
                        }),
                // references to what is not configured
                bad("hook on an undefined RabbitMQ connection", "relay.hook.queue.rabbitmq.connection ",
                        "names the connection 'backup', which has no key", c -> {
                            c.set("relay.hook.queue.destination", "rabbitmq-queue");
                            c.set("relay.hook.queue.rabbitmq.queue", "events");
                            c.set("relay.hook.queue.rabbitmq.connection", "backup");
                        }),
                bad("filter on an undefined event code", HOOK + "filter.event-codes ",
                        "names the event code 'UDE_NOPE', which has no event type",
                        c -> c.set(HOOK + "filter.event-codes", "UDE_NOPE")),
                bad("filter on an undefined import", HOOK + "filter.imports ", "names 'acme', which is neither",
                        c -> c.set(HOOK + "filter.imports", "acme")),
                // routes
                bad("route file that does not parse", temp.resolve("routes/broken.camel.yaml") + ":4:",
                        "does not parse", c -> {
                            Files.writeString(temp.resolve("routes/broken.camel.yaml"),
                                    "- route:\n    id: broken\n    from:\n      uri: \"timer:x\n");
                            c.set(RoutesCheck.PATTERN_KEY, "file:" + temp.resolve("routes") + "/*.camel.yaml");
                        }),
                bad("route placeholder without a value", temp.resolve("routes/lonely.camel.yaml") + ":6:",
                        "{{relay.lonely.period}} has no value", c -> {
                            Files.writeString(temp.resolve("routes/lonely.camel.yaml"), "- route:\n    id: lonely\n"
                                    + "    description: Ticks\n    from:\n      uri: timer:lonely\n"
                                    + "      parameters: {period: \"{{relay.lonely.period}}\"}\n"
                                    + "      steps:\n        - log: tick\n");
                            c.set(RoutesCheck.PATTERN_KEY, "file:" + temp.resolve("routes") + "/lonely.camel.yaml");
                        }),
                bad("route without a description", temp.resolve("routes/mute.camel.yaml") + ":1:",
                        "route 'mute' has no description", c -> {
                            Files.writeString(temp.resolve("routes/mute.camel.yaml"), "- route:\n    id: mute\n"
                                    + "    from:\n      uri: timer:mute\n      steps:\n        - log: tick\n");
                            c.set(RoutesCheck.PATTERN_KEY, "file:" + temp.resolve("routes") + "/mute.camel.yaml");
                        }));
    }

    private static Arguments bad(String name, String problemStart, String says, Change change) {
        return Arguments.of(name, problemStart, says, change);
    }

    private static void warehouseSync(ConfigCopy config, String prefix) {
        config.set(prefix + "jdbc.url", "jdbc:h2:mem:corpus");
        config.set(prefix + "table", "pos_events");
        config.set(prefix + "mapping.event-date", "event_ts");
        config.set(prefix + "event-type", "Purchase");
        config.set(prefix + "mapping.email", "email");
        config.set(prefix + "mapping.changed-at", "updated_at");
    }

    @Test
    void theShippedConfigurationPassesSoEachCaseFailsOnlyForItsChange() throws Exception {
        ConfigCheck.Report report = ConfigCheck.check("file:" + ConfigCopy.shipped().writeTo(temp.resolve("ok.properties")),
                Map.of());

        assertThat(report.all()).isEmpty();
    }

    @ParameterizedTest(name = "{0} is refused naming {1}")
    @MethodSource("corpus")
    void aBrokenConfigurationIsRefusedWithAProblemThatNamesTheKey(String name, String problemStart, String says,
                                                                   Change change) throws Exception {
        ConfigCopy config = ConfigCopy.shipped();
        change.apply(config);
        Path file = config.writeTo(temp.resolve(name.replace(' ', '-') + ".properties"));

        List<String> problems = ConfigCheck.check("file:" + file, Map.of()).all();

        assertThat(problems).as("problems of '%s'", name)
                .anySatisfy(problem -> assertThat(problem.startsWith(problemStart)
                        || problem.contains("; " + problemStart)).as(problem).isTrue())
                .anySatisfy(problem -> assertThat(problem).contains(problemStart).contains(says));
    }

    @Test
    void startUpRefusesABrokenConfigurationWithTheSameMessageAsTheCheck() throws Exception {
        Path file = ConfigCopy.shipped().set(HOOK + "retry.time", "3").set("relay.embedded-sftp.enabled", "false")
                .set("camel.server.port", String.valueOf(RelayUnderTest.freePort()))
                .writeTo(temp.resolve("start-up.properties"));
        List<String> checked = ConfigCheck.check("file:" + file, Map.of()).all();

        Main main = App.create("file:" + file);
        Throwable refused;
        try {
            refused = catchThrowable(main::start);
        } finally {
            main.stop();
        }

        assertThat(refused).isNotNull();
        ConfigException problems = findConfigException(refused);
        assertThat(problems.problems()).containsExactlyElementsOf(checked);
        assertThat(problems.getMessage()).contains(HOOK + "retry.time is not a known key; did you mean "
                + HOOK + "retry.times?");
    }

    private static ConfigException findConfigException(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof ConfigException config) {
                return config;
            }
        }
        throw new AssertionError("start-up failed without a ConfigException", error);
    }
}
