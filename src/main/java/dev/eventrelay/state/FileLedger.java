package dev.eventrelay.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import static dev.eventrelay.state.Sql.update;

/**
 * The ledger that makes every file import exactly once, across restarts and instances: a file is
 * claimed (name, size, modification time) in the transaction that starts its import, and stays
 * claimed unless its import is interrupted.
 */
public final class FileLedger {

    /** What the ledger knows of an imported file. */
    public record Entry(String fileName, long sizeBytes, long modifiedAt) {
    }

    private final StateStore store;

    public FileLedger(StateStore store) {
        this.store = store;
    }

    /** The ledger entries of an import, by file name. */
    public Map<String, Entry> entries(String importName) {
        return store.read(c -> {
            Map<String, Entry> entries = new HashMap<>();
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT file_name, size_bytes, modified_at FROM file_ledger WHERE import_name = ?")) {
                query.setString(1, importName);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        entries.put(rows.getString(1), new Entry(rows.getString(1), rows.getLong(2), rows.getLong(3)));
                    }
                }
            }
            return entries;
        });
    }

    /** Claims a file for the run file {@code runFileId}; false when it is claimed already. */
    public boolean claim(Connection c, String importName, Entry file, long runFileId) throws SQLException {
        return update(c, """
                INSERT INTO file_ledger (import_name, file_name, size_bytes, modified_at, run_file_id)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                importName, file.fileName(), file.sizeBytes(), file.modifiedAt(), runFileId) == 1;
    }

    /**
     * Gives up the claims of the files of run {@code runId} whose import failed before it ended, so the next run
     * imports them; the claims of other runs stay.
     */
    public int releaseUnfinished(Connection c, String runId) throws SQLException {
        return update(c, """
                DELETE FROM file_ledger WHERE run_file_id IN (SELECT id FROM run_file WHERE run_id = ? AND status = ?)""",
                runId, Status.FAILED);
    }

    /** Records that a file was reported for {@code fingerprint}; true the first time only. */
    public boolean reportOnce(String importName, String fileName, String fingerprint) {
        return store.inTransaction(c -> update(c, """
                INSERT INTO reported_file (import_name, file_name, fingerprint) VALUES (?, ?, ?)
                ON CONFLICT DO NOTHING""", importName, fileName, fingerprint) == 1);
    }

}
