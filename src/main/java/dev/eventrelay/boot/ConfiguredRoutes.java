package dev.eventrelay.boot;

import dev.eventrelay.delivery.HookConfig;
import dev.eventrelay.ingest.file.SftpImportConfig;
import dev.eventrelay.ingest.warehouse.WarehouseSyncConfig;
import dev.eventrelay.state.ImportStates;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.TemplatedRouteDefinition;

import java.util.Collection;

/**
 * Makes one route per configured import and hook from the route templates in {@code routes/}:
 * {@code sftp-import} (the import's schedule), {@code warehouse-sync} (the sync's schedule) and {@code <destination>-hook} (the hook's delivery). Ops add an
 * import, a sync or a hook with properties alone; the templates say what each route does.
 * A one-time import ({@code schedule = once}) gets {@code sftp-import-once} (one run at start) until one of
 * its runs has ended Processed; then it is Completed and gets no route. Disabled imports, syncs and hooks get none.
 */
public final class ConfiguredRoutes extends RouteBuilder {

    private final Collection<SftpImportConfig> imports;
    private final Collection<WarehouseSyncConfig> syncs;
    private final Collection<HookConfig> hooks;
    private final ImportStates states;

    public ConfiguredRoutes(Collection<SftpImportConfig> imports, Collection<WarehouseSyncConfig> syncs,
                            Collection<HookConfig> hooks, ImportStates states) {
        this.imports = imports;
        this.syncs = syncs;
        this.hooks = hooks;
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
                TemplatedRouteDefinition route = templatedRoute(hook.destination() + "-hook")
                        .routeId("hook-" + hook.name())
                        .parameter("name", hook.name())
                        .parameter("pollIntervalMs", String.valueOf(hook.pollInterval().toMillis()));
                hook.endpoint().forEach(route::parameter);
            }
        }
    }
}
