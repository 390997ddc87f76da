package dev.eventrelay.boot;

import dev.eventrelay.delivery.Destination;
import dev.eventrelay.delivery.HookConfig;
import dev.eventrelay.delivery.HookDelivery;
import dev.eventrelay.ingest.file.SftpImportConfig;
import dev.eventrelay.ingest.warehouse.WarehouseSyncConfig;
import dev.eventrelay.state.ImportStates;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.TemplatedRouteDefinition;

import java.util.Collection;
import java.util.Map;

/**
 * Makes one route per configured import and hook from the route templates in {@code routes/}:
 * {@code sftp-import} (the import's schedule), {@code warehouse-sync} (the sync's schedule), and for each hook two:
 * {@code hook} (route {@code hook-<name>}: the hook's delivery loop) and its destination's sink, {@code hook-sink-*}
 * (route {@code sink-<name>}, parameters from {@link HookConfig#endpoint()}). Ops add an import, a sync or a hook with
 * properties alone; the templates say what each route does.
 * A one-time import ({@code schedule = once}) gets {@code sftp-import-once} (one run at start) until one of
 * its runs has ended Processed; then it is Completed and gets no route. Disabled imports, syncs and hooks get none.
 */
public final class ConfiguredRoutes extends RouteBuilder {

    private final Collection<SftpImportConfig> imports;
    private final Collection<WarehouseSyncConfig> syncs;
    private final Collection<HookConfig> hooks;
    private final Map<String, Destination> destinations;
    private final ImportStates states;

    /** @param destinations the destination of each hook, by hook name */
    public ConfiguredRoutes(Collection<SftpImportConfig> imports, Collection<WarehouseSyncConfig> syncs,
                            Collection<HookConfig> hooks, Map<String, Destination> destinations, ImportStates states) {
        this.imports = imports;
        this.syncs = syncs;
        this.hooks = hooks;
        this.destinations = destinations;
        this.states = states;
    }

    @Override
    public void configure() {
        for (SftpImportConfig config : imports) {
            if (config.enabled() && config.once()) {
                if (!states.finishedARun(config.name())) {
                    templatedRoute("sftp-import-once")
                            .routeId("sftp-import-" + config.name())
                            .parameter("name", config.name());
                }
            } else if (config.enabled()) {
                templatedRoute("sftp-import")
                        .routeId("sftp-import-" + config.name())
                        .parameter("name", config.name())
                        .parameter("schedule", config.schedule())
                        .parameter("timeZone", config.zone().getId());
            }
        }
        for (WarehouseSyncConfig sync : syncs) {
            if (!sync.enabled()) {
                continue;
            }
            templatedRoute("warehouse-sync")
                    .routeId("warehouse-sync-" + sync.name())
                    .parameter("name", sync.name())
                    .parameter("schedule", sync.schedule())
                    .parameter("timeZone", "UTC");
        }
        for (HookConfig hook : hooks) {
            if (hook.enabled()) {
                templatedRoute("hook")
                        .routeId("hook-" + hook.name())
                        .parameter("name", hook.name())
                        .parameter("tickMs", String.valueOf(Math.min(hook.pollInterval().toMillis(),
                                HookDelivery.TICK.toMillis())));
                // "sink-", not "hook-…-sink": hook names may contain '-', so that could be another hook's route id
                TemplatedRouteDefinition sink = templatedRoute(destinations.get(hook.name()).sink())
                        .routeId("sink-" + hook.name())
                        .parameter("name", hook.name());
                hook.endpoint().forEach(sink::parameter);
            }
        }
    }
}
