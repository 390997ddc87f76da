package dev.eventrelay.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * A hook's {@code custom_data} template: a JSON object whose string values may hold the placeholders of the
 * contract ("Hook message"), rendered once per delivered event.
 *
 * <p>The template is parsed once, at start-up, by {@link #parse}; a template that is not a JSON object or that
 * names an unknown placeholder is refused there with a message naming the hook. Parsing flattens the template
 * into compact JSON text cut into literal pieces and placeholder readers ({@link CustomDataParser}), so
 * {@link #render} only appends strings ({@link CustomDataRendering}): it never parses the template again. A
 * template is immutable and may be rendered from many threads.
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

    private final String hookName;
    private final CustomDataRendering.Part[] parts;
    private final boolean empty;
    /** The whole rendering when the template has no placeholder, else null. */
    private final String constant;
    /** Whether any placeholder reads the event (not just {@code {{uuid}}}). */
    private final boolean readsEvent;

    CustomDataTemplate(String hookName, CustomDataRendering.Part[] parts, boolean empty, boolean readsEvent) {
        this.hookName = hookName;
        this.parts = parts;
        this.empty = empty;
        this.readsEvent = readsEvent;
        this.constant = parts.length == 1 && parts[0] instanceof CustomDataRendering.Literal literal
                ? literal.json() : null;
    }

    /**
     * Parses a hook's template. A null or blank template is the empty object {@code {}}.
     *
     * @throws IllegalArgumentException naming the hook when the text is not a JSON object, has a duplicate
     *                                  field, an unclosed {@code {{}, a placeholder in a field name, or an
     *                                  unknown placeholder (the message lists the known ones)
     */
    public static CustomDataTemplate parse(String hookName, String templateJson) {
        return CustomDataParser.parse(Objects.requireNonNull(hookName, "hookName"), templateJson);
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
        return CustomDataRendering.render(parts, event);
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
            return render(CustomDataParser.JSON.getNodeFactory().objectNode());
        }
        try {
            return render(CustomDataParser.JSON.readTree(eventJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("hook '" + hookName + "': event is not JSON: " + e.getOriginalMessage(),
                    e);
        }
    }

    @Override
    public String toString() {
        return "CustomDataTemplate[hook=" + hookName + ", parts=" + parts.length + "]";
    }
}
