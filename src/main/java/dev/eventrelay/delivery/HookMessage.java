package dev.eventrelay.delivery;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** The hook message of the contract: the event's JSON plus {@code hook} and {@code custom_data}. */
public final class HookMessage {

    private HookMessage() {
    }

    /** Appends the hook's fields to the event's JSON object without writing the event again. */
    public static String of(String eventJson, String hookName, String customDataJson) {
        int end = eventJson.lastIndexOf('}');
        return eventJson.substring(0, end) + ",\"hook\":\"" + new String(JsonStringEncoder.getInstance()
                .quoteAsString(hookName)) + "\",\"custom_data\":" + customDataJson + "}";
    }
}
