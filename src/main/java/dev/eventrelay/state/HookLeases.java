package dev.eventrelay.state;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

import static dev.eventrelay.state.Sql.update;
import static dev.eventrelay.state.StateStore.instant;
import static dev.eventrelay.state.StateStore.utc;

/**
 * A lease per hook in the store ({@code hook_state.owner_instance}, {@code lease_until}): on the store backbone one
 * instance at a time delivers a given hook, and the hooks are spread over the live instances.
 *
 * <ul>
 *   <li><b>Take and renew.</b> {@link #holds} takes or renews the hook's lease with one conditional {@code UPDATE}
 *   whose row count decides: it succeeds only when the lease is this instance's, free or expired
 *   ({@code lease_until} before now), so two instances never both hold it. The lease lasts {@code lease}
 *   (the instance lease, {@code relay.instance.lease-seconds}); it is written again once less than two thirds of it
 *   is left, and in between {@link #holds} answers from memory.</li>
 *   <li><b>Spread.</b> An instance's share is ceil(hooks / live instances). It takes a free or expired hook only
 *   while it holds fewer than its share; a hook that has been free or expired for longer than the grace (one lease)
 *   is taken by any instance, so no hook is left undelivered when the count of live instances is off (a dead
 *   instance not yet expired, instances configured with other hooks).</li>
 *   <li><b>Release.</b> An instance that holds more than its share gives up the hook it is asked about: that is
 *   between two batches of the hook, never with one in flight. A hook it took past the grace it keeps, and does not
 *   count toward its share, while the count of live instances stays what it was then (else it would give up a hook
 *   and take it again past the grace, over and over).
 *   A graceful stop releases every lease ({@link #releaseAll}, as a Camel service stopped after the routes).</li>
 * </ul>
 *
 * A free hook's {@code lease_until} says since when it is free (a hook never held is stamped when first seen).
 * The times are written by one instance's clock and compared by another's: keep the clocks of the instances in sync
 * (NTP) to well within a lease.
 */
public final class HookLeases extends ServiceSupport implements HookLease {

    private static final Logger LOG = LoggerFactory.getLogger(HookLeases.class);

    private enum Outcome { RENEWED, TAKEN, TAKEN_PAST_GRACE, RELEASED, REFUSED }

    private record Decision(Outcome outcome, String previousOwner, Instant previousUntil, long othersHeld) {
    }

    private final StateStore store;
    private final String instanceId;
    private final Duration lease;
    private final Duration grace;
    private final IntSupplier liveInstances;
    private final Clock clock;
    private final int hookCount;
    /** The hooks this instance holds, with when their lease ends as last written. */
    private final Map<String, Instant> held = new ConcurrentHashMap<>();
    /** Hooks taken past the grace, with the count of live instances then. */
    private final Map<String, Integer> takenPastGrace = new ConcurrentHashMap<>();
    private volatile boolean released;

    /**
     * @param instanceId    this instance's id ({@code relay.instance.id})
     * @param lease         how long a lease lasts unless renewed ({@code relay.instance.lease-seconds}); also the grace
     * @param liveInstances how many instances are live now (at least this one)
     * @param hooks         the hooks this instance delivers (its enabled hooks): their count is the numerator of the share
     */
    public HookLeases(StateStore store, String instanceId, Duration lease, IntSupplier liveInstances, Clock clock,
                      Collection<String> hooks) {
        if (instanceId == null || instanceId.isBlank()) {
            throw new IllegalArgumentException("a hook lease needs an instance id");
        }
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("a hook lease must last more than 0 s, not " + lease);
        }
        this.store = store;
        this.instanceId = instanceId;
        this.lease = lease;
        this.grace = lease;
        this.liveInstances = liveInstances;
        this.clock = clock;
        this.hookCount = Set.copyOf(hooks).size();
    }

    /** The most hooks an instance holds (unless one was free past the grace): ceil(hooks / live instances). */
    public static int share(int hooks, int liveInstances) {
        int live = Math.max(1, liveInstances);
        return (hooks + live - 1) / live;
    }

    @Override
    public String holder() {
        return instanceId;
    }

    @Override
    public boolean holds(String hook) {
        if (released) {
            return false;
        }
        Instant now = clock.instant();
        Instant until = held.get(hook);
        if (until != null && now.isBefore(until.minus(lease.multipliedBy(2).dividedBy(3)))) {
            return true;
        }
        return decide(hook, now);
    }

    private synchronized boolean decide(String hook, Instant now) {
        if (released) {
            return false;
        }
        int live = Math.max(1, liveInstances.getAsInt());
        int share = share(hookCount, live);
        Decision decision = store.inTransaction(c -> decide(c, hook, now, live, share));
        switch (decision.outcome()) {
            case RENEWED -> held.put(hook, now.plus(lease));
            case TAKEN, TAKEN_PAST_GRACE -> {
                held.put(hook, now.plus(lease));
                if (decision.outcome() == Outcome.TAKEN_PAST_GRACE) {
                    takenPastGrace.put(hook, live);
                } else {
                    takenPastGrace.remove(hook);
                }
                LOG.info("Hook {}: instance {} delivers it now ({}; it holds {} of its share of {}: {} hook(s), {}"
                        + " live instance(s))", hook, instanceId, was(decision, now), decision.othersHeld() + 1, share,
                        hookCount, live);
            }
            case RELEASED -> {
                held.remove(hook);
                takenPastGrace.remove(hook);
                LOG.info("Hook {}: instance {} releases it between batches: it holds {}, over its share of {}"
                        + " ({} hook(s), {} live instance(s))", hook, instanceId, decision.othersHeld() + 1, share,
                        hookCount, live);
            }
            case REFUSED -> {
                takenPastGrace.remove(hook);
                if (held.remove(hook) != null) {
                    LOG.warn("Hook {}: instance {} lost its lease to {}; it stops delivering the hook", hook,
                            instanceId, decision.previousOwner() == null ? "nobody" : decision.previousOwner());
                }
            }
        }
        return decision.outcome() == Outcome.RENEWED || decision.outcome() == Outcome.TAKEN
                || decision.outcome() == Outcome.TAKEN_PAST_GRACE;
    }

    private static String was(Decision decision, Instant now) {
        if (decision.previousOwner() == null) {
            return "free since " + decision.previousUntil();
        }
        return "the lease of " + decision.previousOwner() + " ended at " + decision.previousUntil();
    }

    private Decision decide(Connection c, String hook, Instant now, int live, int share) throws SQLException {
        update(c, "INSERT INTO hook_state (hook, segment_seq, event_log_id, lease_until) VALUES (?, 0, 0, ?)"
                + " ON CONFLICT (hook) DO NOTHING", hook, utc(now));
        update(c, "UPDATE hook_state SET lease_until = ? WHERE hook = ? AND owner_instance IS NULL"
                + " AND lease_until IS NULL", utc(now), hook);
        String owner;
        Instant until;
        try (PreparedStatement query = c.prepareStatement(
                "SELECT owner_instance, lease_until FROM hook_state WHERE hook = ?")) {
            query.setString(1, hook);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                owner = rows.getString(1);
                until = instant(rows, 2);
            }
        }
        long others = Sql.count(c, "SELECT COUNT(*) FROM hook_state WHERE owner_instance = ? AND lease_until >= ?"
                + " AND hook <> ?", instanceId, utc(now), hook);
        boolean mine = instanceId.equals(owner);
        if (mine && others - keptPastGrace(hook, live) >= share && releasable(hook, live)) {
            update(c, "UPDATE hook_state SET owner_instance = NULL, lease_until = ? WHERE hook = ?"
                    + " AND owner_instance = ?", utc(now), hook, instanceId);
            return new Decision(Outcome.RELEASED, owner, until, others);
        }
        boolean underShare = others < share;
        int taken = underShare
                ? update(c, "UPDATE hook_state SET owner_instance = ?, lease_until = ? WHERE hook = ?"
                        + " AND (owner_instance = ? OR owner_instance IS NULL OR lease_until < ?)",
                        instanceId, utc(now.plus(lease)), hook, instanceId, utc(now))
                : update(c, "UPDATE hook_state SET owner_instance = ?, lease_until = ? WHERE hook = ?"
                        + " AND (owner_instance = ? OR lease_until < ?)",
                        instanceId, utc(now.plus(lease)), hook, instanceId, utc(now.minus(grace)));
        if (taken != 1) {
            return new Decision(Outcome.REFUSED, owner, until, others);
        }
        if (mine) {
            return new Decision(Outcome.RENEWED, owner, until, others);
        }
        return new Decision(underShare ? Outcome.TAKEN : Outcome.TAKEN_PAST_GRACE, owner, until, others);
    }

    /** A hook taken past the grace is kept while the count of live instances stays what it was then. */
    private boolean releasable(String hook, int live) {
        Integer then = takenPastGrace.get(hook);
        return then == null || then != live;
    }

    /** The other hooks held that were taken past the grace and are kept: they do not count toward the share. */
    private long keptPastGrace(String hook, int live) {
        return takenPastGrace.keySet().stream()
                .filter(other -> !other.equals(hook) && held.containsKey(other) && !releasable(other, live)).count();
    }

    @Override
    public void lost(String hook) {
        held.remove(hook);
        takenPastGrace.remove(hook);
    }

    @Override
    public Optional<String> owner(String hook) {
        return store.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT owner_instance FROM hook_state WHERE hook = ?"
                    + " AND owner_instance IS NOT NULL AND lease_until >= ?")) {
                Sql.bind(query, hook, utc(clock.instant()));
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Map<String, List<String>> hooksByOwner() {
        return store.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT owner_instance, hook FROM hook_state"
                    + " WHERE owner_instance IS NOT NULL AND lease_until >= ? ORDER BY owner_instance, hook")) {
                Sql.bind(query, utc(clock.instant()));
                Map<String, List<String>> owners = new LinkedHashMap<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        owners.computeIfAbsent(rows.getString(1), id -> new ArrayList<>()).add(rows.getString(2));
                    }
                }
                owners.replaceAll((id, hooks) -> List.copyOf(hooks));
                return owners;
            }
        });
    }

    @Override
    public void releaseAll() {
        released = true;
        synchronized (this) {
            int count = store.inTransaction(c -> update(c, "UPDATE hook_state SET owner_instance = NULL,"
                    + " lease_until = ? WHERE owner_instance = ?", utc(clock.instant()), instanceId));
            held.clear();
            takenPastGrace.clear();
            if (count > 0) {
                LOG.info("Instance {} released the lease(s) of {} hook(s)", instanceId, count);
            }
        }
    }

    @Override
    protected void doStart() {
        released = false;
    }

    /** A graceful stop: Camel stops the routes (no batch in flight) before this service, and the store after it. */
    @Override
    protected void doStop() {
        try {
            releaseAll();
        } catch (StateStoreException e) {
            LOG.warn("Instance {} could not release its hook leases ({}); they end on their own within {} s",
                    instanceId, e.getMessage(), lease.toSeconds());
        }
    }
}
