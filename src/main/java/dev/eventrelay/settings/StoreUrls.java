package dev.eventrelay.settings;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a state store URL ({@code relay.store.url}) means for durability, and the settings the store adds to it.
 * The store promises that a commit is on disk when it returns: SQLite in WAL mode with {@code synchronous=FULL}
 * (an fsync of the log per commit), or PostgreSQL with its own {@code synchronous_commit}. H2 is refused: its
 * MVStore never forces a commit to disk, so a power loss can take events the service had already accepted.
 */
public final class StoreUrls {

    /** The shipped store: a SQLite file under data/, in WAL mode, an fsync per commit, writers wait up to 60 s. */
    public static final String DEFAULT = "jdbc:sqlite:./data/state/relay.db?journal_mode=WAL&synchronous=FULL"
            + "&busy_timeout=60000";

    /** Where the H2 store of the releases before SQLite lived, with the default URL. */
    public static final Path OLD_H2_DEFAULT = Path.of("data/state/relay.mv.db");

    private static final String SQLITE = "jdbc:sqlite:";
    private static final Set<String> DURABLE_JOURNALS = Set.of("wal", "delete", "truncate", "persist");
    private static final Set<String> DURABLE_SYNC = Set.of("full", "extra", "2", "3");

    /** The settings the store adds to a SQLite URL when it does not name them. */
    private static final Map<String, String> SQLITE_DEFAULTS = Map.of(
            "journal_mode", "WAL", "synchronous", "FULL", "busy_timeout", "60000",
            // every write transaction takes the write lock at BEGIN: a writer waits there (busy_timeout) instead of
            // failing with SQLITE_BUSY when it would upgrade a read to a write after another writer committed
            "transaction_mode", "IMMEDIATE",
            // PostgreSQL checks the REFERENCES of the schema: so does SQLite with this
            "foreign_keys", "true");

    private StoreUrls() {
    }

    public static boolean isSqlite(String url) {
        return url != null && url.toLowerCase(Locale.ROOT).startsWith(SQLITE);
    }

    /**
     * Adds a problem naming {@code key} when {@code url} does not make every commit durable: an H2 store, a SQLite
     * store in memory, with {@code synchronous} below FULL or a {@code journal_mode} that keeps no journal on disk.
     */
    public static void checkDurable(PropertyReader p, String key, String url) {
        if (url == null) {
            return;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:")) {
            p.problem(key, "H2 is no longer a state store: it never forces a commit to disk, so a power loss can lose"
                    + " events already accepted; write a SQLite file (" + DEFAULT + ") or jdbc:postgresql://host:5432/db");
            return;
        }
        if (!isSqlite(url)) {
            return;
        }
        String file = sqliteFile(url);
        if (file.isEmpty() || file.contains(":memory:") || lower.contains("mode=memory")) {
            p.problem(key, "a SQLite store must be a file (jdbc:sqlite:./data/state/relay.db): a database in memory"
                    + " is gone when the process ends");
        }
        Map<String, String> settings = sqliteSettings(url);
        String sync = settings.getOrDefault("synchronous", "full").toLowerCase(Locale.ROOT);
        if (!DURABLE_SYNC.contains(sync)) {
            p.problem(key, "synchronous=" + settings.get("synchronous") + " in a SQLite store URL: a commit would not be"
                    + " on disk when it returns (a power loss loses accepted events); write synchronous=FULL");
        }
        String journal = settings.getOrDefault("journal_mode", "wal").toLowerCase(Locale.ROOT);
        if (!DURABLE_JOURNALS.contains(journal)) {
            p.problem(key, "journal_mode=" + settings.get("journal_mode") + " in a SQLite store URL: a crash in the"
                    + " middle of a commit could corrupt the store; write journal_mode=WAL");
        }
    }

    /**
     * Adds a problem when the store URL is the default and the H2 store of an earlier release is still in its place
     * ({@code base} is the folder the service runs in): starting on a new, empty SQLite store would import every
     * file of the old ledger again and lose the events the old store had not delivered.
     */
    public static void checkNoOldStore(PropertyReader p, String key, String url, Path base) {
        if (DEFAULT.equals(url) && base.resolve(OLD_H2_DEFAULT).toFile().exists()) {
            p.problem(key, "the H2 state store of an earlier release is at " + OLD_H2_DEFAULT + " and the default store"
                    + " is now a SQLite file: let the old service deliver what it holds, then move " + OLD_H2_DEFAULT
                    + " away (its file ledger would otherwise be forgotten and every file imported again),"
                    + " or set " + key + " to a PostgreSQL store");
        }
    }

    /** The URL the store opens: a SQLite URL gets the settings it does not name ({@link #SQLITE_DEFAULTS}). */
    public static String effective(String url) {
        if (!isSqlite(url)) {
            return url;
        }
        Map<String, String> named = sqliteSettings(url);
        StringBuilder out = new StringBuilder(url);
        char separator = url.indexOf('?') < 0 ? '?' : '&';
        for (String setting : new String[] {"journal_mode", "synchronous", "busy_timeout", "transaction_mode",
                "foreign_keys"}) {
            if (!named.containsKey(setting)) {
                out.append(separator).append(setting).append('=').append(SQLITE_DEFAULTS.get(setting));
                separator = '&';
            }
        }
        return out.toString();
    }

    /** The file of a SQLite URL, without its settings ("" for a temporary database). */
    public static String sqliteFile(String url) {
        String rest = url.substring(SQLITE.length());
        int query = rest.indexOf('?');
        String file = query < 0 ? rest : rest.substring(0, query);
        return file.startsWith("file:") ? file.substring("file:".length()) : file;
    }

    /** The settings after '?' of a SQLite URL, by lower-case name. */
    static Map<String, String> sqliteSettings(String url) {
        Map<String, String> settings = new LinkedHashMap<>();
        int query = url.indexOf('?');
        if (query < 0) {
            return settings;
        }
        for (String pair : url.substring(query + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                settings.put(pair.substring(0, eq).trim().toLowerCase(Locale.ROOT), pair.substring(eq + 1).trim());
            }
        }
        return settings;
    }
}
