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
import java.util.List;
import java.util.Optional;

import static dev.eventrelay.state.StateStore.instant;
import static dev.eventrelay.state.StateStore.utc;
import static dev.eventrelay.state.Sql.bind;
import static dev.eventrelay.state.Sql.update;

/**
 * This instance and the others of its store (table {@code relay_instance}): each instance has a lease that it
 * renews ({@link #renew()}, every third of the lease); it is live while its lease has not expired by the reader's
 * clock. {@link #register()} takes the lease at start, and refuses an id that another live process holds; a stop
 * ({@link #doStop()}, a Camel service stopped before the store) deletes the row, so the work this instance leaves is
 * taken over at once. What an instance owns is kept with the work itself ({@code import_run.owner_instance}).
 */
public final class Instances extends ServiceSupport {

    /** One instance's lease as the store holds it. */
    public record Instance(String id, String host, long pid, Instant startedAt, Instant renewedAt, int leaseSeconds,
                           Instant expiresAt) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Instances.class);
    private static final String COLUMNS = "id, host, pid, started_at, renewed_at, lease_seconds, expires_at";

    private final StateStore store;
    private final String id;
    private final String host;
    private final long pid;
    private final Duration lease;
    private final Clock clock;
    private volatile Instant renewedAt;
    private volatile boolean renewFailing;
    private volatile int liveCount = 1;

    public Instances(StateStore store, String id, String host, long pid, Duration lease, Clock clock) {
        this.store = store;
        this.id = id;
        this.host = host;
        this.pid = pid;
        this.lease = lease;
        this.clock = clock;
    }

    /** This instance's id ({@code relay.instance.id}). */
    public String id() {
        return id;
    }

    public Duration lease() {
        return lease;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Takes this instance's lease from now. Refuses (naming {@code relay.instance.id}) when another process, live by
     * its lease, holds the id: two instances with one id would each take the other's work for its own.
     */
    public void register() {
        Instant now = clock.instant();
        store.inTransaction(c -> {
            Optional<Instance> held = find(c, id);
            if (held.isPresent() && held.get().expiresAt().isAfter(now) && !sameProcess(held.get())) {
                throw new IllegalStateException("relay.instance.id: the id '" + id + "' is in use by the live"
                        + " instance on host " + held.get().host() + " (pid " + held.get().pid() + ", lease renewed "
                        + held.get().renewedAt() + "); give each instance its own relay.instance.id, or wait "
                        + lease.toSeconds() + " s for that lease to expire");
            }
            update(c, "DELETE FROM relay_instance WHERE id = ?", id);
            update(c, "INSERT INTO relay_instance (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", id, host, pid,
                    utc(now), utc(now), (int) lease.toSeconds(), utc(now.plus(lease)));
            return null;
        });
        renewedAt = now;
        countLive();
        LOG.info("Instance '{}' (host {}, pid {}) holds a lease of {} s", id, host, pid, lease.toSeconds());
    }

    /** The same process as this one, or one that ran on this host and is gone (a restart with a fixed id). */
    private boolean sameProcess(Instance held) {
        if (!held.host().equals(host)) {
            return false;
        }
        return held.pid() == pid || ProcessHandle.of(held.pid()).map(p -> !p.isAlive()).orElse(true);
    }

    /**
     * Moves this instance's lease to now + the lease. Warns when the lease had expired before (a pause longer than
     * the lease): other instances may have taken over its runs, whose further writes are then refused. A row that
     * is gone (taken over and cleaned up) is written again.
     */
    public void renew() {
        Instant now = clock.instant();
        Instant previous = renewedAt;
        store.inTransaction(c -> {
            int renewed = update(c, "UPDATE relay_instance SET renewed_at = ?, expires_at = ?, lease_seconds = ?"
                    + " WHERE id = ?", utc(now), utc(now.plus(lease)), (int) lease.toSeconds(), id);
            if (renewed == 0) {
                update(c, "INSERT INTO relay_instance (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", id, host,
                        pid, utc(now), utc(now), (int) lease.toSeconds(), utc(now.plus(lease)));
            }
            return null;
        });
        renewedAt = now;
        countLive();
        if (previous != null && !previous.plus(lease).isAfter(now)) {
            LOG.warn("Instance '{}': its lease had expired ({} s since the last renewal, lease {} s); other"
                    + " instances may have taken over its runs", id, Duration.between(previous, now).toSeconds(),
                    lease.toSeconds());
        }
    }

    /** Whether this instance's own lease is due for renewal: a third of the lease has passed since the last one. */
    public boolean renewalDue() {
        Instant last = renewedAt;
        return last == null || !last.plus(lease.dividedBy(3)).isAfter(clock.instant());
    }

    /**
     * Renews the lease when it is due (route {@code instance-lease} asks twice a second); true when it was renewed
     * now. While the store cannot be reached it answers false and logs once per outage: the lease runs out if the
     * outage outlasts it, and the others then take this instance's runs over.
     */
    public boolean renewIfDue() {
        if (!renewalDue()) {
            return false;
        }
        try {
            renew();
            if (renewFailing) {
                renewFailing = false;
                LOG.info("Instance '{}' renews its lease again", id);
            }
            return true;
        } catch (StateStoreException e) {
            if (!renewFailing) {
                renewFailing = true;
                LOG.warn("Instance '{}' cannot renew its lease now ({}); it expires {} s after the last renewal",
                        id, e.getMessage(), lease.toSeconds());
            }
            return false;
        }
    }

    /** The instances whose lease has not expired, by id. */
    public List<Instance> live() {
        return store.read(c -> all(c, "SELECT " + COLUMNS + " FROM relay_instance WHERE expires_at > ? ORDER BY id",
                utc(clock.instant())));
    }

    /**
     * How many instances are live (this one included), as counted at this instance's last renewal: the hook leases
     * ask it on every tick, so it costs no query there.
     */
    public int liveCount() {
        return liveCount;
    }

    private void countLive() {
        try {
            liveCount = Math.max(1, live().size());
        } catch (StateStoreException e) {
            LOG.debug("Instance '{}': the live instances could not be counted now: {}", id, e.getMessage());
        }
    }

    /** The ids of the instances whose lease has expired (their rows remain until their work is taken over). */
    public List<String> expired() {
        return store.read(c -> all(c, "SELECT " + COLUMNS + " FROM relay_instance WHERE expires_at <= ? ORDER BY id",
                utc(clock.instant()))).stream().map(Instance::id).toList();
    }

    /**
     * Deletes every other instance's lease, live or not: called at start on a store this process holds alone (the
     * embedded store), where they can only be leases of processes that are gone, so their runs are taken over at once.
     */
    public int forgetOthers() {
        return store.inTransaction(c -> update(c, "DELETE FROM relay_instance WHERE id <> ?", id));
    }

    /** Deletes the rows of expired instances that own no run under way any more; returns how many. */
    public int forgetExpired() {
        return store.inTransaction(c -> update(c, """
                DELETE FROM relay_instance WHERE expires_at <= ? AND NOT EXISTS (SELECT 1 FROM import_run r
                WHERE r.owner_instance = relay_instance.id AND (r.fetch_status = ? OR r.processing_status = ?))""",
                utc(clock.instant()), Status.FETCHING, Status.PROCESSING));
    }

    /** Gives the lease up: the row is deleted, so other instances take over what this one leaves at once. */
    public void leave() {
        store.inTransaction(c -> update(c, "DELETE FROM relay_instance WHERE id = ?", id));
        renewedAt = null;
        LOG.info("Instance '{}' gave up its lease", id);
    }

    @Override
    protected void doStop() {
        try {
            leave();
        } catch (RuntimeException e) {
            LOG.warn("Instance '{}' could not give up its lease ({}); it expires in {} s", id, e.getMessage(),
                    lease.toSeconds());
        }
    }

    private static Optional<Instance> find(Connection c, String id) throws SQLException {
        return all(c, "SELECT " + COLUMNS + " FROM relay_instance WHERE id = ?", id).stream().findFirst();
    }

    private static List<Instance> all(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            bind(query, args);
            try (ResultSet rows = query.executeQuery()) {
                List<Instance> found = new ArrayList<>();
                while (rows.next()) {
                    found.add(new Instance(rows.getString(1), rows.getString(2), rows.getLong(3), instant(rows, 4),
                            instant(rows, 5), rows.getInt(6), instant(rows, 7)));
                }
                return found;
            }
        }
    }
}
