package dev.eventrelay.delivery;

import dev.eventrelay.settings.PropertyReader;
import org.apache.camel.Exchange;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code file} destination: the batch as JSON lines, appended by the route to the hook's file of the day. */
public final class FileDestination implements Destination {

    /** {@code destination = file}: {@code file.folder}. */
    public static final DestinationKind KIND = new DestinationKind() {
        @Override
        public List<String> names() {
            return List.of("file");
        }

        @Override
        public Map<String, String> endpoint(String destination, String prefix, PropertyReader p) {
            Map<String, String> endpoint = new LinkedHashMap<>();
            endpoint.put("folder", p.required(prefix + "file.folder", "the folder that receives the hook's JSON lines files"));
            return endpoint;
        }

        @Override
        public Destination create(HookConfig hook, Clock clock) {
            return new FileDestination();
        }
    };

    @Override
    public String status(Exchange exchange) {
        return "written";
    }

    @Override
    public String sink() {
        return "hook-sink-file";
    }

    @Override
    public void prepare(HookBatch batch, Exchange exchange) {
        StringBuilder lines = new StringBuilder(batch.events().size() * 600);
        for (Outgoing event : batch.events()) {
            lines.append(event.json()).append('\n');
        }
        exchange.getMessage().setBody(lines.toString());
    }
}
