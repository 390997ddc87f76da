package dev.eventrelay.cluster;

import java.util.List;
import java.util.Map;

/**
 * The cluster scenario on the store backbone (the default, {@code relay.backbone.kind = store}): accepted events in
 * the store's event log, one instance at a time delivering a given hook (a lease per hook), the hooks spread over
 * the live instances.
 */
class ClusterOnStoreBackboneIT extends ClusterScenario {

    @Override
    String backbone() {
        return "store";
    }

    @Override
    Map<String, String> backboneConfig() {
        return Map.of("relay.backbone.kind", "store");
    }

    @Override
    String hookOwnersPromise() {
        return "each hook delivered by exactly one live instance, and the hooks spread over more than one";
    }

    @Override
    boolean hookOwnersKept(Map<String, List<String>> owners) {
        boolean one = HOOKS.stream().allMatch(hook -> owners.getOrDefault(hook, List.of()).size() == 1);
        return one && owners.values().stream().flatMap(List::stream).distinct().count() > 1;
    }

    @Override
    void checkBackbone(int accepted) throws Exception {
        long logged = store.count("SELECT COUNT(*) FROM event_log");
        findings.check(logged >= accepted, "the store's event log holds every accepted event: " + logged + " of "
                + accepted);
    }
}
