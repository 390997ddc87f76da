package dev.eventrelay.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * A hook's {@code custom_data} template: a JSON object whose string values may hold the placeholders of the
 * contract ("Hook message"), rendered once per delivered event.
 *
 * <p>The template is parsed once, at start-up, by {@link #parse}; a template that is not a JSON object or that
 * names an unknown placeholder is refused there with a message naming the hook. Parsing flattens the template
 * into compact JSON text cut into literal pieces and placeholder readers, so {@link #render} only appends
 * strings: it never parses the template again. A template is immutable and may be rendered from many threads.
 *
 * <p>Placeholders ({@code {{name}}}, blanks inside the braces allowed) may stand for a whole string value or sit
 * inside text ({@code "order-{{properties.order.id}}"}), at any depth of nested objects and arrays. Numbers,
 * booleans and nulls of the template are kept as written. Placeholders are not allowed in field names.
 * <ul>
 *   <li>{@code {{uuid}}}: a new random UUID v4 per rendering (every {@code {{uuid}}} of one rendering gets the
 *       same value, so a template can repeat it);</li>
 *   <li>{@code {{event_date}}}: UTC, RFC 3339, fraction truncated to microseconds and trailing zeros dropped
 *       ({@code 2026-11-22T12:05:06.123456Z}, {@code 2026-11-22T12:05:06Z});
 *       {@code {{event_date_ymd}}} ({@code 2026-11-22}), {@code {{event_date_rfc3339}}} (whole seconds,
 *       {@code 2026-11-22T12:05:06Z}), {@code {{event_date_unix}}} and {@code {{event_date_unixnano}}}
 *       (decimal strings);</li>
 *   <li>{@code {{event_type}}}, {@code {{event_id}}}; {@code {{import_name}}}, {@code {{channel}}},
 *       {@code {{event_code}}}, {@code {{file_name}}} from {@code origin.import}, {@code origin.channel},
 *       {@code origin.event_code}, {@code origin.file};</li>
 *   <li>{@code {{profile.<key>}}}, any key (the contract's are external_id, email, phone, customer_id);</li>
 *   <li>{@code {{properties.a.b}}}, any path of property names (a number steps into an array).</li>
 * </ul>
 * A value that is absent or JSON null renders as the empty string; an event date that is absent or not
 * RFC 3339 leaves every date placeholder empty. A value that is not a string (a number, a boolean, an object)
 * renders as its compact JSON text, e.g. {@code 12.5} or {@code true}.
 *
 * <p>Templates come from {@code application.properties}, where Camel would resolve {@code {{...}}} as property
 * placeholders. They must therefore be read raw (the configured text, without Camel's property resolution) and
 * handed to {@link #parse} as written; this class does no escaping of its own.
 */
public final class CustomDataTemplate {

    private static final String KNOWN = "uuid, event_date, event_date_ymd, event_date_rfc3339, event_date_unix, "
            + "event_date_unixnano, event_type, event_id, import_name, channel, event_code, file_name, "
            + "profile.<key>, properties.<path>";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    private static final DateTimeFormatter MICROS = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true)
            .appendLiteral('Z')
            .toFormatter(Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter YMD = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private static final Part[] NO_PARTS = new Part[0];

    private final String hookName;
    private final Part[] parts;
    private final boolean empty;
    /** The whole rendering when the template has no placeholder, else null. */
    private final String constant;
    /** Whether any placeholder reads the event (not just {@code {{uuid}}}). */
    private final boolean readsEvent;

    private CustomDataTemplate(String hookName, Part[] parts, boolean empty, boolean readsEvent) {
        this.hookName = hookName;
        this.parts = parts;
        this.empty = empty;
        this.readsEvent = readsEvent;
        this.constant = parts.length == 1 && parts[0] instanceof Literal literal ? literal.json() : null;
    }

    /**
     * Parses a hook's template. A null or blank template is the empty object {@code {}}.
     *
     * @throws IllegalArgumentException naming the hook when the text is not a JSON object, has a duplicate
     *                                  field, an unclosed {@code {{}, a placeholder in a field name, or an
     *                                  unknown placeholder (the message lists the known ones)
     */
    public static CustomDataTemplate parse(String hookName, String templateJson) {
        Objects.requireNonNull(hookName, "hookName");
        if (templateJson == null || templateJson.isBlank()) {
            return new CustomDataTemplate(hookName, new Part[] {new Literal("{}")}, true, false);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(templateJson);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new IllegalArgumentException("hook '" + hookName + "': custom_data is not a JSON object: "
                    + e.getOriginalMessage() + where, e);
        }
        if (root == null || !root.isObject()) {
            String found = root == null || root.isMissingNode() ? "nothing"
                    : root.getNodeType().name().toLowerCase(Locale.ROOT);
            throw new IllegalArgumentException("hook '" + hookName + "': custom_data is not a JSON object: found "
                    + found + " " + abbreviate(templateJson.strip()));
        }
        Compiler compiler = new Compiler(hookName);
        compiler.node(root, "");
        return new CustomDataTemplate(hookName, compiler.finish(), root.isEmpty(), compiler.readsEvent);
    }

    public String hookName() {
        return hookName;
    }

    /** True for the template {@code {}}: every rendering is {@code {}}, so delivery may skip rendering. */
    public boolean isEmpty() {
        return empty;
    }

    /** Renders the custom_data object for one event (the contract's event JSON), as compact JSON text. */
    public String render(JsonNode event) {
        Objects.requireNonNull(event, "event");
        if (constant != null) {
            return constant;
        }
        Rendering rendering = new Rendering(event);
        StringBuilder out = new StringBuilder(128);
        for (Part part : parts) {
            part.appendTo(out, rendering);
        }
        return out.toString();
    }

    /**
     * Renders the custom_data object for one event given as its contract JSON text (the event log's body).
     * The event is parsed only when a placeholder reads it.
     *
     * @throws IllegalArgumentException when the event is needed and is not JSON
     */
    public String render(String eventJson) {
        Objects.requireNonNull(eventJson, "eventJson");
        if (constant != null) {
            return constant;
        }
        if (!readsEvent) {
            return render(MAPPER.getNodeFactory().objectNode());
        }
        try {
            return render(MAPPER.readTree(eventJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("hook '" + hookName + "': event is not JSON: " + e.getOriginalMessage(),
                    e);
        }
    }

    @Override
    public String toString() {
        return "CustomDataTemplate[hook=" + hookName + ", parts=" + parts.length + "]";
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        ENCODER.quoteAsString(text, out);
        return out.append('"').toString();
    }

    // ---------------------------------------------------------------- parse time

    /** Walks the template tree, writing compact JSON and cutting it where placeholders go. */
    private static final class Compiler {
        private final String hookName;
        private final List<Part> parts = new ArrayList<>();
        private final StringBuilder literal = new StringBuilder();
        private boolean readsEvent;

        Compiler(String hookName) {
            this.hookName = hookName;
        }

        void node(JsonNode node, String pointer) {
            if (node.isObject()) {
                literal.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    String childPointer = pointer + "/" + field.getKey();
                    if (field.getKey().contains("{{")) {
                        throw new IllegalArgumentException("hook '" + hookName + "': placeholder in field name "
                                + quote(field.getKey()) + " of custom_data; placeholders go in string values only");
                    }
                    literal.append(first ? "" : ",").append(quote(field.getKey())).append(':');
                    node(field.getValue(), childPointer);
                    first = false;
                }
                literal.append('}');
            } else if (node.isArray()) {
                literal.append('[');
                for (int i = 0; i < node.size(); i++) {
                    literal.append(i == 0 ? "" : ",");
                    node(node.get(i), pointer + "/" + i);
                }
                literal.append(']');
            } else if (node.isTextual()) {
                text(node.textValue(), pointer);
            } else {
                literal.append(node);
            }
        }

        /** A string value: literal text and placeholders, between the quotes. */
        private void text(String text, String pointer) {
            literal.append('"');
            int from = 0;
            while (true) {
                int open = text.indexOf("{{", from);
                if (open < 0) {
                    break;
                }
                int close = text.indexOf("}}", open + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("hook '" + hookName + "': unclosed placeholder "
                            + abbreviate(text.substring(open)) + " in custom_data at " + pointer
                            + "; write {{name}}");
                }
                ENCODER.quoteAsString(text.substring(from, open), literal);
                String name = text.substring(open + 2, close).strip();
                placeholder(reader(name, pointer));
                from = close + 2;
            }
            ENCODER.quoteAsString(text.substring(from), literal);
            literal.append('"');
        }

        private void placeholder(Value value) {
            flushLiteral();
            parts.add(new Placeholder(value));
        }

        private Value reader(String name, String pointer) {
            Value value = switch (name) {
                case "uuid" -> Rendering::uuid;
                case "event_date" -> date(MICROS::format);
                case "event_date_ymd" -> date(YMD::format);
                case "event_date_rfc3339" -> date(SECONDS::format);
                case "event_date_unix" -> date(instant -> Long.toString(instant.getEpochSecond()));
                case "event_date_unixnano" -> date(CustomDataTemplate::unixNanos);
                case "event_type" -> field("event_type");
                case "event_id" -> field("event_id");
                case "import_name" -> field("origin", "import");
                case "channel" -> field("origin", "channel");
                case "event_code" -> field("origin", "event_code");
                case "file_name" -> field("origin", "file");
                default -> pathReader(name);
            };
            if (value == null) {
                throw new IllegalArgumentException("hook '" + hookName + "': unknown placeholder {{" + name
                        + "}} in custom_data at " + pointer + "; known: " + KNOWN);
            }
            return value;
        }

        private Value pathReader(String name) {
            if (name.startsWith("profile.") && name.length() > "profile.".length()) {
                return field("profile", name.substring("profile.".length()));
            }
            if (name.startsWith("properties.")) {
                String[] path = name.substring("properties.".length()).split("\\.", -1);
                String[] full = new String[path.length + 1];
                full[0] = "properties";
                for (int i = 0; i < path.length; i++) {
                    if (path[i].isEmpty()) {
                        return null;
                    }
                    full[i + 1] = path[i];
                }
                return field(full);
            }
            return null;
        }

        private Value date(Function<Instant, String> format) {
            readsEvent = true;
            return rendering -> {
                Instant date = rendering.eventDate();
                return date == null ? "" : format.apply(date);
            };
        }

        private Value field(String... path) {
            readsEvent = true;
            return rendering -> textAt(rendering.event, path);
        }

        Part[] finish() {
            flushLiteral();
            return parts.toArray(NO_PARTS);
        }

        private void flushLiteral() {
            if (!literal.isEmpty()) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
        }
    }

    private static String unixNanos(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (Math.abs(seconds) < Long.MAX_VALUE / 1_000_000_000L - 1) {
            return Long.toString(seconds * 1_000_000_000L + instant.getNano());
        }
        return BigInteger.valueOf(seconds).multiply(NANOS_PER_SECOND).add(BigInteger.valueOf(instant.getNano()))
                .toString();
    }

    /** The text of the value at {@code path}: a string as is, other values as JSON, absent or null as "". */
    private static String textAt(JsonNode event, String[] path) {
        JsonNode node = event;
        for (String step : path) {
            if (node.isArray() && isIndex(step)) {
                node = node.path(Integer.parseInt(step));
            } else {
                node = node.path(step);
            }
            if (node.isMissingNode()) {
                return "";
            }
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        return node.isNull() ? "" : node.toString();
    }

    private static boolean isIndex(String step) {
        if (step.isEmpty() || step.length() > 9) {
            return false;
        }
        for (int i = 0; i < step.length(); i++) {
            if (step.charAt(i) < '0' || step.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- render time

    /** What one rendering reads, computed at most once: the event date and the uuid. */
    private static final class Rendering {
        private final JsonNode event;
        private boolean dateRead;
        private Instant eventDate;
        private String uuid;

        Rendering(JsonNode event) {
            this.event = event;
        }

        Instant eventDate() {
            if (!dateRead) {
                dateRead = true;
                JsonNode date = event.path("event_date");
                if (date.isTextual()) {
                    try {
                        eventDate = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(date.textValue(), Instant::from);
                    } catch (DateTimeException e) {
                        eventDate = null;
                    }
                }
            }
            return eventDate;
        }

        String uuid() {
            if (uuid == null) {
                uuid = UUID.randomUUID().toString();
            }
            return uuid;
        }
    }

    private interface Value {
        String read(Rendering rendering);
    }

    private interface Part {
        void appendTo(StringBuilder out, Rendering rendering);
    }

    /** Compact JSON text of the template, already escaped. */
    private record Literal(String json) implements Part {
        @Override
        public void appendTo(StringBuilder out, Rendering rendering) {
            out.append(json);
        }
    }

    /** A placeholder inside a JSON string: its value is escaped as it is appended. */
    private record Placeholder(Value value) implements Part {
        @Override
        public void appendTo(StringBuilder out, Rendering rendering) {
            ENCODER.quoteAsString(value.read(rendering), out);
        }
    }
}
