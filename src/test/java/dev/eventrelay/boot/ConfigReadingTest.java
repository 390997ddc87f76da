package dev.eventrelay.boot;

import dev.eventrelay.mapping.EventTypes;
import dev.eventrelay.settings.ConfigException;
import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.delivery.HookConfig;
import dev.eventrelay.delivery.RetryPolicy;
import dev.eventrelay.ingest.file.SftpImportConfig;
import dev.eventrelay.model.AttributeType;
import dev.eventrelay.model.EventType;
import dev.eventrelay.support.TestSftpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class ConfigReadingTest {

    private static final String IMPORT = "relay.import.orders.";
    private static final String HOOK = "relay.hook.audit.";

    @TempDir
    Path temp;

    // ---- SFTP imports

    @Test
    void minimalImportGetsTheDocumentedDefaults() {
        PropertyReader p = PropertyReader.of(importKeys());

        SftpImportConfig config = SftpImportConfig.read("orders", p);

        assertThat(p.problems()).isEmpty();
        assertThat(config.name()).isEqualTo("orders");
        assertThat(config.enabled()).isTrue();
        assertThat(config.channel()).isEqualTo("udc_1itzAa15r");
        assertThat(config.schedule()).isEqualTo("0 0 2 * * ?");
        assertThat(config.lookBackDays()).isEqualTo(7);
        assertThat(config.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(config.delimiter()).isEqualTo(',');
        assertThat(config.afterImport()).isEqualTo(SftpImportConfig.AfterImport.LEAVE);
        assertThat(config.moveTo()).isNull();
        assertThat(config.folder()).isEqualTo(".");
        assertThat(config.requiredColumns()).containsExactly("externalId", "eventDate");
        assertThat(config.productIdDelimiter()).isEqualTo("|");
        assertThat(config.utm()).isEmpty();
        assertThat(config.server().host()).isEqualTo("sftp.example.com");
        assertThat(config.server().port()).isEqualTo(22);
        assertThat(config.server().user()).isEqualTo("relay");
        assertThat(config.server().password()).isEqualTo("secret");
        assertThat(config.server().strictHostKeyChecking()).isFalse();
        assertThat(config.server().connectTimeoutMs()).isEqualTo(10_000);
    }

    @Test
    void configuredValuesAreRead() throws Exception {
        Path key = temp.resolve("id_ed25519");
        TestSftpServer.SshKeys.generate("ed25519", key);
        Path knownHosts = Files.writeString(temp.resolve("known_hosts"), "sftp.example.com ssh-ed25519 AAAA\n");
        Map<String, String> keys = importKeys();
        keys.remove(IMPORT + "sftp.password");
        keys.remove(IMPORT + "sftp.strict-host-key-checking");
        keys.putAll(Map.of(
                IMPORT + "schedule", "0 30 3 * * ?",
                IMPORT + "time-zone", "Europe/Berlin",
                IMPORT + "look-back.days", "14",
                IMPORT + "csv.delimiter", ";",
                IMPORT + "after-import", "move",
                IMPORT + "after-import.folder", "done",
                IMPORT + "sftp.private-key-file", key.toString(),
                IMPORT + "sftp.known-hosts-file", knownHosts.toString(),
                IMPORT + "utm.source", " partner ",
                IMPORT + "csv.required-columns", "email, eventDate"));
        PropertyReader p = PropertyReader.of(keys);

        SftpImportConfig config = SftpImportConfig.read("orders", p);

        assertThat(p.problems()).isEmpty();
        assertThat(config.schedule()).isEqualTo("0 30 3 * * ?");
        assertThat(config.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(config.lookBackDays()).isEqualTo(14);
        assertThat(config.delimiter()).isEqualTo(';');
        assertThat(config.afterImport()).isEqualTo(SftpImportConfig.AfterImport.MOVE);
        assertThat(config.moveTo()).isEqualTo("done");
        assertThat(config.server().privateKeyFile()).isEqualTo(key);
        assertThat(config.server().knownHostsFile()).isEqualTo(knownHosts);
        assertThat(config.server().strictHostKeyChecking()).isTrue();
        assertThat(config.utm()).containsExactly(entry("source", "partner"));
        assertThat(config.requiredColumns()).containsExactly("email", "eventDate");
    }

    @Test
    void theInstanceIdDefaultsToTheHostNameAndPidAndTheLeaseTo30Seconds() {
        PropertyReader p = PropertyReader.of(Map.of());

        ValidatedConfig.Instance instance = ValidatedConfig.read(p).instance();

        assertThat(instance.id()).isEqualTo(instance.host() + "-" + ProcessHandle.current().pid());
        assertThat(instance.lease()).isEqualTo(java.time.Duration.ofSeconds(30));
    }

    @Test
    void aLeaseUnderTwoSecondsOrNotWholeAndAnIdWithSpacesAreProblemsNamingTheirKeys() {
        for (String lease : List.of("1", "2.5", "0")) {
            PropertyReader p = PropertyReader.of(Map.of("relay.instance.lease-seconds", lease,
                    "relay.instance.id", "two words"));

            ValidatedConfig.read(p);

            assertThat(p.problems()).as("lease %s", lease)
                    .anySatisfy(problem -> assertThat(problem).startsWith("relay.instance.lease-seconds "))
                    .anySatisfy(problem -> assertThat(problem)
                            .startsWith("relay.instance.id 'two words' is not an instance id"));
        }
    }

    @Test
    void tabDelimiterIsWrittenAsTab() {
        PropertyReader p = PropertyReader.of(importKeys(IMPORT + "csv.delimiter", "tab"));

        assertThat(SftpImportConfig.read("orders", p).delimiter()).isEqualTo('\t');
        assertThat(p.problems()).isEmpty();
    }

    @Test
    void badCronIsAProblemNamingTheScheduleKey() {
        assertThat(importProblems(IMPORT + "schedule", "every night"))
                .singleElement().asString()
                .startsWith("relay.import.orders.schedule 'every night' is not a Quartz cron expression");
    }

    @Test
    void badTimeZoneIsAProblemNamingTheTimeZoneKey() {
        assertThat(importProblems(IMPORT + "time-zone", "Europe/Berln"))
                .singleElement().asString()
                .startsWith("relay.import.orders.time-zone 'Europe/Berln' is not a time zone");
    }

    @Test
    void portThatIsNotANumberIsAProblemNamingThePortKey() {
        assertThat(importProblems(IMPORT + "sftp.port", "abc"))
                .containsExactly("relay.import.orders.sftp.port 'abc' is not a whole number");
    }

    @Test
    void portOutOfRangeIsAProblemNamingThePortKey() {
        assertThat(importProblems(IMPORT + "sftp.port", "70000"))
                .containsExactly("relay.import.orders.sftp.port is 70000; it must be between 1 and 65535");
    }

    @Test
    void lookBackOfZeroDaysIsAProblemNamingTheLookBackKey() {
        assertThat(importProblems(IMPORT + "look-back.days", "0"))
                .containsExactly("relay.import.orders.look-back.days is 0; it must be between 1 and 366");
    }

    @Test
    void delimiterOfTwoCharactersIsAProblemNamingTheDelimiterKey() {
        assertThat(importProblems(IMPORT + "csv.delimiter", "ab"))
                .containsExactly("relay.import.orders.csv.delimiter 'ab' is not a single delimiter character (or tab)");
    }

    @Test
    void unknownAfterImportActionIsAProblemNamingTheAfterImportKey() {
        assertThat(importProblems(IMPORT + "after-import", "archive"))
                .containsExactly("relay.import.orders.after-import 'archive' is not leave, move or delete");
    }

    @Test
    void moveWithoutAFolderIsAProblemNamingTheFolderKey() {
        assertThat(importProblems(IMPORT + "after-import", "move"))
                .containsExactly("relay.import.orders.after-import.folder is required when after-import is move");
    }

    @Test
    void missingChannelIsAProblemNamingTheChannelKey() {
        assertThat(importProblems(IMPORT + "channel", null))
                .singleElement().asString()
                .startsWith("relay.import.orders.channel is required");
    }

    @Test
    void channelWithADashIsAProblemNamingTheChannelKey() {
        assertThat(importProblems(IMPORT + "channel", "udc-1"))
                .singleElement().asString()
                .startsWith("relay.import.orders.channel 'udc-1' contains '-'");
    }

    @Test
    void missingHostAndUserAreTwoProblemsNamingTheirKeys() {
        Map<String, String> keys = importKeys();
        keys.remove(IMPORT + "sftp.host");
        keys.remove(IMPORT + "sftp.user");
        PropertyReader p = PropertyReader.of(keys);

        SftpImportConfig.read("orders", p);

        assertThat(p.problems()).hasSize(2);
        assertThat(p.problems().get(0)).startsWith("relay.import.orders.sftp.host is required");
        assertThat(p.problems().get(1)).startsWith("relay.import.orders.sftp.user is required");
    }

    @Test
    void neitherPasswordNorKeyIsAProblemNamingBothKeys() {
        assertThat(importProblems(IMPORT + "sftp.password", null))
                .containsExactly("relay.import.orders.sftp.private-key-file or relay.import.orders.sftp.password"
                        + " is required");
    }

    @Test
    void unreadableKeyFileIsAProblemNamingTheKeyFileKey() {
        Path missing = temp.resolve("no-such-key");

        assertThat(importProblems(IMPORT + "sftp.private-key-file", missing.toString()))
                .containsExactly("relay.import.orders.sftp.private-key-file '" + missing + "' cannot be read");
    }

    @Test
    void unreadableKnownHostsFileIsAProblemWhenHostKeysAreChecked() {
        Path missing = temp.resolve("no-known-hosts");
        Map<String, String> keys = importKeys(IMPORT + "sftp.known-hosts-file", missing.toString());
        keys.put(IMPORT + "sftp.strict-host-key-checking", "true");
        PropertyReader p = PropertyReader.of(keys);

        SftpImportConfig.read("orders", p);

        assertThat(p.problems()).singleElement().asString()
                .startsWith("relay.import.orders.sftp.known-hosts-file '" + missing + "' cannot be read")
                .contains("relay.import.orders.sftp.strict-host-key-checking=false");
    }

    @Test
    void readableKnownHostsFileIsAccepted() throws IOException {
        Path knownHosts = Files.writeString(temp.resolve("known_hosts"), "sftp.example.com ssh-ed25519 AAAA\n");
        Map<String, String> keys = importKeys(IMPORT + "sftp.known-hosts-file", knownHosts.toString());
        keys.remove(IMPORT + "sftp.strict-host-key-checking");
        PropertyReader p = PropertyReader.of(keys);

        SftpImportConfig config = SftpImportConfig.read("orders", p);

        assertThat(p.problems()).isEmpty();
        assertThat(config.server().strictHostKeyChecking()).isTrue();
    }

    @Test
    void strictHostKeyCheckingThatIsNotABooleanIsAProblemNamingItsKey() {
        assertThat(importProblems(IMPORT + "sftp.strict-host-key-checking", "maybe"))
                .contains("relay.import.orders.sftp.strict-host-key-checking 'maybe' is not true or false");
    }

    @Test
    void importNameWithCapitalsIsAProblemNamingTheImportsKeys() {
        Map<String, String> keys = new HashMap<>();
        importKeys().forEach((key, value) -> keys.put(key.replace("relay.import.orders.", "relay.import.Orders_1."),
                value));
        PropertyReader p = PropertyReader.of(keys);

        assertThat(p.names(SftpImportConfig.PREFIX)).containsExactly("Orders_1");
        SftpImportConfig.read("Orders_1", p);

        assertThat(p.problems()).singleElement().asString()
                .startsWith("relay.import.Orders_1.* names an import 'Orders_1'");
    }

    // ---- event types

    @Test
    void eventTypesAreReadByCodeWithTypedAttributes() {
        PropertyReader p = PropertyReader.of(Map.of(
                "relay.event-type.UDE_1JIJANUWB.name", "Purchase",
                "relay.event-type.UDE_1JIJANUWB.attributes",
                "amount:number, paid : boolean,visited_at:date,store___city:string",
                "relay.event-type.UDE_7KQ2LOGIN.name", "Login"));

        EventTypes types = EventTypes.read(p);

        assertThat(p.problems()).isEmpty();
        assertThat(types.all()).containsOnlyKeys("UDE_1JIJANUWB", "UDE_7KQ2LOGIN");
        EventType purchase = types.byCode("UDE_1JIJANUWB").orElseThrow();
        assertThat(purchase.name()).isEqualTo("Purchase");
        assertThat(purchase.attributes()).containsOnly(
                entry("amount", AttributeType.NUMBER), entry("paid", AttributeType.BOOLEAN),
                entry("visited_at", AttributeType.DATE), entry("store___city", AttributeType.STRING));
        assertThat(purchase.typeOf("unknown_column")).isEqualTo(AttributeType.STRING);
        assertThat(types.byCode("UDE_7KQ2LOGIN").orElseThrow().attributes()).isEmpty();
        assertThat(types.byCode("UDE_NOPE")).isEmpty();
    }

    @Test
    void badAttributeTypeIsAProblemNamingTheAttributesKey() {
        PropertyReader p = PropertyReader.of(Map.of(
                "relay.event-type.UDE_1.name", "Purchase",
                "relay.event-type.UDE_1.attributes", "amount:money,paid:boolean,visited_at"));

        EventTypes types = EventTypes.read(p);

        assertThat(p.problems()).containsExactly(
                "relay.event-type.UDE_1.attributes has 'amount:money'; write column:type with type string, number,"
                        + " boolean or date",
                "relay.event-type.UDE_1.attributes has 'visited_at'; write column:type with type string, number,"
                        + " boolean or date");
        assertThat(types.byCode("UDE_1").orElseThrow().attributes()).containsOnly(entry("paid", AttributeType.BOOLEAN));
    }

    @Test
    void eventTypeNameWithAPeriodIsAProblemNamingTheNameKey() {
        PropertyReader p = PropertyReader.of(Map.of("relay.event-type.UDE_1.name", "a.b"));

        EventTypes.read(p);

        assertThat(p.problems()).containsExactly(
                "relay.event-type.UDE_1.name is not a valid event type: event type 'a.b' contains a period");
    }

    @Test
    void eventTypeWithoutANameIsAProblemNamingTheNameKey() {
        PropertyReader p = PropertyReader.of(Map.of("relay.event-type.UDE_1.attributes", "amount:number"));

        EventTypes.read(p);

        assertThat(p.problems()).singleElement().asString().startsWith("relay.event-type.UDE_1.name is required");
    }

    // ---- hooks

    @Test
    void fileHookGetsItsDefaults() {
        PropertyReader p = PropertyReader.of(Map.of(HOOK + "file.folder", "data/outbox"));

        HookConfig hook = HookConfig.read("audit", p);

        assertThat(p.problems()).isEmpty();
        assertThat(hook.name()).isEqualTo("audit");
        assertThat(hook.enabled()).isTrue();
        assertThat(hook.destination()).isEqualTo("file");
        assertThat(hook.endpoint()).containsEntry("folder", "data/outbox");
        assertThat(hook.batchMaxEvents()).isEqualTo(500);
        assertThat(hook.filter().eventTypes()).isEmpty();
        assertThat(hook.filter().capturesType("Purchase")).isTrue();
        assertThat(hook.retry()).isEqualTo(new RetryPolicy(4, Duration.ofSeconds(15), false, Duration.ofMinutes(10),
                Duration.ofMinutes(5)));
        assertThat(hook.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(hook.customData().isEmpty()).isTrue();
    }

    @Test
    void hookRetryOverridesWinOverTheGlobalDefaults() {
        PropertyReader p = PropertyReader.of(Map.of(HOOK + "file.folder", "data/outbox",
                "relay.delivery.retry.times", "7", "relay.delivery.retry.period.seconds", "30",
                HOOK + "retry.period.seconds", "0.25", HOOK + "retry.exponential", "true"));

        HookConfig hook = HookConfig.read("audit", p);

        assertThat(p.problems()).isEmpty();
        assertThat(hook.retry().times()).isEqualTo(7);
        assertThat(hook.retry().period()).isEqualTo(Duration.ofMillis(250));
        assertThat(hook.retry().exponential()).isTrue();
    }

    @Test
    void theShippedConfigurationRetriesFourTimesFifteenSecondsApart() throws Exception {
        Properties shipped = new Properties();
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("application.properties"))) {
            shipped.load(in);
        }
        Map<String, String> values = new java.util.HashMap<>();
        shipped.stringPropertyNames().forEach(k -> values.put(k, shipped.getProperty(k)));
        PropertyReader p = PropertyReader.of(values);

        HookConfig hook = HookConfig.read("all-events", p);

        assertThat(hook.retry().times()).isEqualTo(4);
        assertThat(hook.retry().period()).isEqualTo(Duration.ofSeconds(15));
        assertThat(hook.retry().exponential()).isFalse();
    }

    @Test
    void anUnknownPlaceholderInCustomDataIsAProblemNamingHookAndPlaceholder() {
        PropertyReader p = PropertyReader.of(Map.of(HOOK + "file.folder", "data/outbox",
                HOOK + "custom-data", "{\"a\": \"{{no_such_thing}}\"}"));

        HookConfig.read("audit", p);

        assertThat(p.problems()).singleElement().asString()
                .startsWith(HOOK + "custom-data")
                .contains("audit")
                .contains("{{no_such_thing}}");
    }

    @Test
    void anHttpHookNeedsAnHttpUrl() {
        PropertyReader p = PropertyReader.of(Map.of(HOOK + "destination", "http", HOOK + "http.url", "ftp://x"));

        HookConfig.read("audit", p);

        assertThat(p.problems()).singleElement().asString().startsWith(HOOK + "http.url 'ftp://x' is not");
    }

    @Test
    void hookWithEventTypesCapturesOnlyThose() {
        PropertyReader p = PropertyReader.of(Map.of(HOOK + "file.folder", "data/outbox",
                HOOK + "event-types", "Purchase, Login"));

        HookConfig hook = HookConfig.read("audit", p);

        assertThat(hook.filter().eventTypes()).containsExactlyInAnyOrder("Purchase", "Login");
        assertThat(hook.filter().capturesType("Login")).isTrue();
        assertThat(hook.filter().capturesType("add_to_cart")).isFalse();
    }

    @Test
    void badHookDestinationIsAProblemNamingTheDestinationKey() {
        PropertyReader p = PropertyReader.of(Map.of(HOOK + "destination", "carrier-pigeon"));

        HookConfig.read("audit", p);

        assertThat(p.problems()).containsExactly("relay.hook.audit.destination 'carrier-pigeon' is not one of [file, http, rabbitmq-queue, rabbitmq-exchange, kafka]");
    }

    @Test
    void fileHookWithoutAFolderIsAProblemNamingTheFolderKey() {
        PropertyReader p = PropertyReader.of(Map.of(HOOK + "enabled", "true"));

        HookConfig.read("audit", p);

        assertThat(p.problems()).singleElement().asString().startsWith("relay.hook.audit.file.folder is required");
    }

    @Test
    void hookBatchSizeOutOfRangeIsAProblemNamingItsKey() {
        PropertyReader p = PropertyReader.of(Map.of(HOOK + "file.folder", "out", HOOK + "batch.max-events", "0"));

        HookConfig.read("audit", p);

        assertThat(p.problems()).containsExactly("relay.hook.audit.batch.max-events is 0; it must be between 1 and 100000");
    }

    // ---- all problems at once

    @Test
    void checkThrowsAConfigExceptionListingEveryProblem() {
        Map<String, String> keys = importKeys();
        keys.put(IMPORT + "schedule", "every night");
        keys.put(IMPORT + "sftp.port", "abc");
        keys.put("relay.event-type.UDE_1.name", "a.b");
        keys.put(HOOK + "destination", "carrier-pigeon");
        PropertyReader p = PropertyReader.of(keys);
        EventTypes.read(p);
        for (String name : p.names(SftpImportConfig.PREFIX)) {
            SftpImportConfig.read(name, p);
        }
        for (String name : p.names(HookConfig.PREFIX)) {
            HookConfig.read(name, p);
        }

        assertThatThrownBy(p::check)
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(4).containsExactlyElementsOf(p.problems());
                    assertThat(e.problems()).anySatisfy(s -> assertThat(s).startsWith("relay.import.orders.schedule "))
                            .anySatisfy(s -> assertThat(s).startsWith("relay.import.orders.sftp.port "))
                            .anySatisfy(s -> assertThat(s).startsWith("relay.event-type.UDE_1.name "))
                            .anySatisfy(s -> assertThat(s).startsWith("relay.hook.audit.destination "));
                    assertThat(e.getMessage()).startsWith("the configuration has 4 problems:");
                    for (String problem : e.problems()) {
                        assertThat(e.getMessage()).contains("\n  - " + problem);
                    }
                });
    }

    @Test
    void checkPassesWhenNothingIsWrong() {
        PropertyReader p = PropertyReader.of(importKeys());
        SftpImportConfig.read("orders", p);

        p.check();

        assertThat(p.problems()).isEmpty();
    }

    @Test
    void blankValueCountsAsNotSet() {
        PropertyReader p = PropertyReader.of(importKeys(IMPORT + "schedule", "   "));

        assertThat(SftpImportConfig.read("orders", p).schedule()).isEqualTo("0 0 2 * * ?");
        assertThat(p.problems()).isEmpty();
    }

    @Test
    void namesAreTheSortedDistinctSegmentsAfterThePrefix() {
        PropertyReader p = PropertyReader.of(Map.of(
                "relay.import.zeta.channel", "z", "relay.import.alpha.channel", "a",
                "relay.import.alpha.sftp.host", "h", "relay.import.", "x", "relay.hook.audit.enabled", "true"));

        assertThat(p.names("relay.import.")).containsExactly("alpha", "zeta");
    }

    private static Map<String, String> importKeys() {
        Map<String, String> keys = new HashMap<>();
        keys.put(IMPORT + "channel", "udc_1itzAa15r");
        keys.put(IMPORT + "sftp.host", "sftp.example.com");
        keys.put(IMPORT + "sftp.user", "relay");
        keys.put(IMPORT + "sftp.password", "secret");
        keys.put(IMPORT + "sftp.strict-host-key-checking", "false");
        return keys;
    }

    /** The minimal import with {@code key} set to {@code value}, or removed when value is null. */
    private static Map<String, String> importKeys(String key, String value) {
        Map<String, String> keys = importKeys();
        if (value == null) {
            keys.remove(key);
        } else {
            keys.put(key, value);
        }
        return keys;
    }

    private static List<String> importProblems(String key, String value) {
        PropertyReader p = PropertyReader.of(importKeys(key, value));
        SftpImportConfig.read("orders", p);
        return p.problems();
    }
}
