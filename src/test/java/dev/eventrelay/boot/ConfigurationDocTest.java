package dev.eventrelay.boot;

import dev.eventrelay.settings.PropertyReader;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key tables of docs/configuration.md against the keys the code reads. The code's keys are those that
 * {@link ValidatedConfig#check} asks its {@link PropertyReader} for while it reads a configuration with an import of
 * each source, a sync, a hook of each destination, an event type and a RabbitMQ connection; plus the
 * {@code {{relay.*}}} placeholders of {@code routes/}; plus the {@code camel.*} keys the shipped
 * {@code application.properties} sets (Camel main reads those). Per-name keys are compared with their placeholder
 * ({@code relay.hook.<name>.http.url}).
 */
class ConfigurationDocTest {

    private static final Path DOC = Path.of("docs/configuration.md");
    private static final Path SHIPPED = Path.of("application.properties");
    private static final Path ROUTES = Path.of("routes");

    /** One import of each source, a sync, one hook of each destination (and a property filter), a connection. */
    private static final String EVERY_KIND = """
            relay.import.acme.channel = udc_acme01
            relay.import.acme.sftp.host = sftp.acme.example
            relay.import.acme.sftp.user = relay
            relay.import.acme.sftp.password = not-a-secret
            relay.import.acme.after-import = move
            relay.import.acme.after-import.folder = imported
            relay.import.by-hand.source = upload
            relay.import.by-hand.csv.event-type-column = event
            relay.event-type.UDE_DOC.name = Doc Event
            relay.event-type.UDE_DOC.attributes = amount:number
            relay.sync.pos.jdbc.url = jdbc:h2:mem:configuration-doc
            relay.sync.pos.table = pos_events
            relay.sync.pos.mapping.event-date = event_ts
            relay.sync.pos.mapping.event-type = metric_name
            relay.sync.pos.mapping.email = email
            relay.sync.pos.mapping.changed-at = updated_at
            relay.hook.doc-file.destination = file
            relay.hook.doc-file.file.folder = target/configuration-doc
            relay.hook.doc-http.destination = http
            relay.hook.doc-http.http.url = http://127.0.0.1:9000/events
            relay.hook.doc-queue.destination = rabbitmq-queue
            relay.hook.doc-queue.rabbitmq.connection = main
            relay.hook.doc-queue.rabbitmq.queue = events
            relay.hook.doc-exchange.destination = rabbitmq-exchange
            relay.hook.doc-exchange.rabbitmq.exchange = events
            relay.hook.doc-kafka.destination = kafka
            relay.hook.doc-kafka.kafka.bootstrap-servers = 127.0.0.1:9092
            relay.hook.doc-kafka.kafka.topic = events
            relay.hook.doc-kafka.filter.property.store.city.equals = Berlin
            relay.rabbitmq.main.host = 127.0.0.1
            """;

    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]*)`\\s*\\|");
    private static final Pattern ANY_ROW_WITH_KEY = Pattern.compile("^\\|\\s*`(relay|camel)\\.");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??((?:relay|camel)\\.[a-z0-9.<>-]+)");

    private static Set<String> codeKeys;

    @Test
    void everyKeyTheCodeReadsIsInTheTable() throws IOException {
        assertThat(lacking(keysTheCodeReads(), tableKeys(Files.readString(DOC))))
                .as("keys the code reads that docs/configuration.md lacks (add a row for each)").isEmpty();
    }

    @Test
    void everyKeyOfTheTableIsReadByTheCode() throws IOException {
        assertThat(unread(keysTheCodeReads(), tableKeys(Files.readString(DOC))))
                .as("keys docs/configuration.md lists that nothing reads (remove the row, or read the key)").isEmpty();
    }

    @Test
    void everyRowOfTheTableNamesExactlyOneKey() throws IOException {
        List<String> malformed = new ArrayList<>();
        for (String line : Files.readString(DOC).split("\n")) {
            if (ANY_ROW_WITH_KEY.matcher(line).find() && !ROW.matcher(line).find()) {
                malformed.add(line);
            }
        }
        assertThat(malformed).as("rows whose first cell is not one `key`").isEmpty();
        assertThat(tableKeys(Files.readString(DOC))).hasSizeGreaterThan(100);
    }

    @Test
    void aKeyTheCodeReadsThatATableLacksIsFound() throws IOException {
        String doctored = Files.readString(DOC).replaceAll("(?m)^\\| `relay\\.hook\\.<name>\\.kafka\\.topic` .*\\n", "");

        assertThat(lacking(keysTheCodeReads(), tableKeys(doctored))).containsExactly("relay.hook.<name>.kafka.topic");
    }

    @Test
    void aKeyOfATableThatNothingReadsIsFound() throws IOException {
        String doctored = Files.readString(DOC)
                + "\n| `relay.hook.<name>.kafka.linger.ms` | a key no reader asks for | ms | `5` |\n";

        assertThat(unread(keysTheCodeReads(), tableKeys(doctored))).containsExactly("relay.hook.<name>.kafka.linger.ms");
    }

    @Test
    void perNameKeysAreComparedWithTheirPlaceholder() {
        assertThat(normalise("relay.import.acme.sftp.host")).isEqualTo("relay.import.<name>.sftp.host");
        assertThat(normalise("relay.imports.chunk.rows")).isEqualTo("relay.imports.chunk.rows");
        assertThat(normalise("relay.sync.pos.mapping.event-date")).isEqualTo("relay.sync.<name>.mapping.event-date");
        assertThat(normalise("relay.hook.doc-kafka.filter.property.store.city.equals"))
                .isEqualTo("relay.hook.<name>.filter.property.<path>.equals");
        assertThat(normalise("relay.event-type.UDE_DOC.name")).isEqualTo("relay.event-type.<code>.name");
        assertThat(normalise("relay.rabbitmq.main.virtual-host")).isEqualTo("relay.rabbitmq.<connection>.virtual-host");
    }

    // ---- the two sides

    /** The first cells of the tables' rows: one key each, in backticks. */
    static Set<String> tableKeys(String markdown) {
        Set<String> keys = new TreeSet<>();
        for (String line : markdown.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find() && (m.group(1).startsWith("relay.") || m.group(1).startsWith("camel."))) {
                keys.add(m.group(1));
            }
        }
        return keys;
    }

    /** Read once per run: the check parses every route file. */
    private static synchronized Set<String> keysTheCodeReads() throws IOException {
        if (codeKeys == null) {
            codeKeys = Set.copyOf(readKeys());
        }
        return codeKeys;
    }

    private static Set<String> readKeys() throws IOException {
        Path everyKind = Files.createTempFile("every-kind", ".properties");
        everyKind.toFile().deleteOnExit();
        Files.writeString(everyKind, EVERY_KIND);
        DefaultCamelContext context = new DefaultCamelContext(); // never started: only its properties are read
        PropertiesComponent pc = context.getPropertiesComponent();
        pc.setLocation("file:" + everyKind + ",file:" + SHIPPED);
        PropertyReader p = PropertyReader.load(pc);
        ValidatedConfig.check(context, p);

        Set<String> keys = new TreeSet<>();
        p.asked().forEach(key -> keys.add(normalise(key)));
        Properties shipped = new Properties();
        try (Reader reader = Files.newBufferedReader(SHIPPED)) {
            shipped.load(reader);
        }
        shipped.stringPropertyNames().stream().filter(key -> key.startsWith("camel.")).forEach(keys::add);
        try (Stream<Path> routes = Files.list(ROUTES)) {
            for (Path route : routes.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Matcher m = PLACEHOLDER.matcher(Files.readString(route));
                while (m.find()) {
                    keys.add(normalise(m.group(1).replaceAll("\\.$", "")));
                }
            }
        }
        return keys;
    }

    /** Per-name keys with their placeholder: {@code relay.hook.orders.http.url} → {@code relay.hook.<name>.http.url}. */
    static String normalise(String key) {
        return key.replaceFirst("^relay\\.hook\\.[^.]+\\.filter\\.property\\..+\\.equals$",
                        "relay.hook.<name>.filter.property.<path>.equals")
                .replaceFirst("^relay\\.(import|sync|hook)\\.(?!<name>)[^.]+\\.", "relay.$1.<name>.")
                .replaceFirst("^relay\\.event-type\\.[^.]+\\.", "relay.event-type.<code>.")
                .replaceFirst("^relay\\.rabbitmq\\.[^.]+\\.", "relay.rabbitmq.<connection>.");
    }

    private static Set<String> lacking(Set<String> read, Set<String> table) {
        Set<String> lacking = new TreeSet<>(read);
        lacking.removeAll(table);
        return lacking;
    }

    private static Set<String> unread(Set<String> read, Set<String> table) {
        Set<String> unread = new TreeSet<>(table);
        unread.removeAll(read);
        return unread;
    }
}
