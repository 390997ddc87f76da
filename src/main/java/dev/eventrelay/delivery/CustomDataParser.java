package dev.eventrelay.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parse time of a {@link CustomDataTemplate}: reads the template text as JSON, refuses what is not a JSON object
 * or names an unknown placeholder (naming the hook), and walks the tree into compact JSON text cut into literal
 * pieces and the placeholder readers of {@link CustomDataRendering}.
 */
final class CustomDataParser {

    private static final String KNOWN = "uuid, event_date, event_date_ymd, event_date_rfc3339, event_date_unix, "
            + "event_date_unixnano, event_type, event_id, import_name, channel, event_code, file_name, "
            + "profile.<key>, properties.<path>";

    /** Reads templates and events: exact decimals, no trailing tokens, no duplicate fields. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();
    private static final CustomDataRendering.Part[] NO_PARTS = new CustomDataRendering.Part[0];

    private CustomDataParser() {
    }

    static CustomDataTemplate parse(String hookName, String templateJson) {
        if (templateJson == null || templateJson.isBlank()) {
            return new CustomDataTemplate(hookName, new CustomDataRendering.Part[] {new CustomDataRendering.Literal("{}")},
                    true, false);
        }
        JsonNode root;
        try {
            root = JSON.readTree(templateJson);
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

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        ENCODER.quoteAsString(text, out);
        return out.append('"').toString();
    }

    /** Walks the template tree, writing compact JSON and cutting it where placeholders go. */
    private static final class Compiler {
        private final String hookName;
        private final List<CustomDataRendering.Part> parts = new ArrayList<>();
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

        private void placeholder(CustomDataRendering.Value value) {
            flushLiteral();
            parts.add(new CustomDataRendering.Placeholder(value));
        }

        private CustomDataRendering.Value reader(String name, String pointer) {
            CustomDataRendering.Value value = switch (name) {
                case "uuid" -> CustomDataRendering::uuid;
                case "event_date" -> date(CustomDataRendering::micros);
                case "event_date_ymd" -> date(CustomDataRendering::ymd);
                case "event_date_rfc3339" -> date(CustomDataRendering::seconds);
                case "event_date_unix" -> date(CustomDataRendering::unixSeconds);
                case "event_date_unixnano" -> date(CustomDataRendering::unixNanos);
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

        private CustomDataRendering.Value pathReader(String name) {
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

        private CustomDataRendering.Value date(CustomDataRendering.DateFormat format) {
            readsEvent = true;
            return CustomDataRendering.date(format);
        }

        private CustomDataRendering.Value field(String... path) {
            readsEvent = true;
            return CustomDataRendering.field(path);
        }

        CustomDataRendering.Part[] finish() {
            flushLiteral();
            return parts.toArray(NO_PARTS);
        }

        private void flushLiteral() {
            if (!literal.isEmpty()) {
                parts.add(new CustomDataRendering.Literal(literal.toString()));
                literal.setLength(0);
            }
        }
    }

}
