package dev.eventrelay.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.eventrelay.state.StateStore.utc;
import static dev.eventrelay.state.Sql.bind;
import static dev.eventrelay.state.Sql.update;

/**
 * Which instance owns which run under way ({@code import_run.owner_instance}), and the two writes that ownership
 * decides: the take-over of a run whose owner's lease expired (a conditional update whose row count says who won,
 * so two instances never both take one run). The owner's side of it is {@link RunStore#holdUnderWay}: the check
 * before it claims a file or publishes a segment, so an instance that lost its lease cannot write for a run another
 * took over.
 */
public final class RunOwnership {

    /** A run under way and its owner (null for a run recorded before owners were kept). */
    public record OwnedRun(String runId, String name, String kind, String owner) {
    }

    private static final String UNDER_WAY = "(%1$s.fetch_status = ? OR %1$s.processing_status = ?)";
    /** The run's owner holds no live lease (its lease expired by the bound time, or it has no row at all). */
    private static final String LEASE_GONE = "NOT EXISTS (SELECT 1 FROM relay_instance i"
            + " WHERE i.id = %1$s.owner_instance AND i.expires_at > ?)";
    /** While the instance runs: runs of an owner whose lease is gone. */
    private static final String ABANDONED = "(%1$s.owner_instance IS NOT NULL AND " + LEASE_GONE + ")";
    /** At an instance's start, also the runs without an owner (recorded before V8) and those under its own id. */
    private static final String ABANDONED_AT_START = "(%1$s.owner_instance IS NULL OR %1$s.owner_instance = ? OR "
            + LEASE_GONE + ")";

    private final StateStore store;

    public RunOwnership(StateStore store) {
        this.store = store;
    }

    /**
     * The runs under way whose owner's lease has expired or who has no lease row at all, oldest first. With
     * {@code startingInstance} (this instance's id, at its start; else null) also the runs without an owner and
     * those under that id: a starting instance runs nothing yet, so runs under its id are from an earlier life.
     */
    public List<OwnedRun> abandoned(String startingInstance, Instant now) {
        return store.read(c -> list(c, "SELECT r.id, r.import_name, r.kind, r.owner_instance FROM import_run r"
                + " WHERE " + UNDER_WAY.formatted("r") + " AND " + abandoned("r", startingInstance)
                + " ORDER BY r.fetch_started_at, r.id",
                args(new Object[] {Status.FETCHING, Status.PROCESSING}, startingInstance, now)));
    }

    private static String abandoned(String table, String startingInstance) {
        return (startingInstance == null ? ABANDONED : ABANDONED_AT_START).formatted(table);
    }

    private static Object[] args(Object[] first, String startingInstance, Instant now) {
        List<Object> args = new ArrayList<>(List.of(first));
        if (startingInstance != null) {
            args.add(startingInstance);
        }
        args.add(utc(now));
        return args.toArray();
    }

    /**
     * In {@code c}: fails the run {@code runId} with {@code reason}, if it is still under way and still abandoned (as
     * {@link #abandoned}); its files still being read are the caller's to settle and fail ({@link RunStore#failFiles}).
     * False when another instance took it first or its owner renewed its lease. The update locks the run's row and its status is checked on the row itself (PostgreSQL
     * checks it again on the newest version after waiting for the lock): of two instances taking one run, exactly
     * one wins.
     */
    public boolean takeOver(Connection c, String runId, String startingInstance, String reason, Instant now)
            throws SQLException {
        int won = update(c, "UPDATE import_run SET"
                + " fetch_status = CASE WHEN fetch_status = ? THEN ? ELSE fetch_status END,"
                + " fetch_ended_at = COALESCE(fetch_ended_at, ?), processing_status = ?, processing_ended_at = ?,"
                + " reason = ? WHERE id = ? AND " + UNDER_WAY.formatted("import_run") + " AND "
                + abandoned("import_run", startingInstance),
                args(new Object[] {Status.FETCHING, Status.FAILED, utc(now), Status.FAILED, utc(now), reason, runId,
                    Status.FETCHING, Status.PROCESSING}, startingInstance, now));
        return won == 1;
    }

    /** The runs under way, by owner (runs without an owner under the key ""). */
    public Map<String, List<OwnedRun>> underWayByOwner() {
        List<OwnedRun> all = store.read(c -> list(c, "SELECT r.id, r.import_name, r.kind, r.owner_instance"
                + " FROM import_run r WHERE " + UNDER_WAY.formatted("r") + " ORDER BY r.fetch_started_at, r.id",
                Status.FETCHING, Status.PROCESSING));
        Map<String, List<OwnedRun>> byOwner = new LinkedHashMap<>();
        for (OwnedRun run : all) {
            byOwner.computeIfAbsent(run.owner() == null ? "" : run.owner(), k -> new ArrayList<>()).add(run);
        }
        return byOwner;
    }

    private static List<OwnedRun> list(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            bind(query, args);
            try (ResultSet rows = query.executeQuery()) {
                List<OwnedRun> found = new ArrayList<>();
                while (rows.next()) {
                    found.add(new OwnedRun(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)));
                }
                return found;
            }
        }
    }
}
