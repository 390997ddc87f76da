package dev.eventrelay.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventrelay.settings.StoreUrls;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The relational state store: a pooled JDBC data source (a SQLite file by default, PostgreSQL when
 * configured) migrated by Flyway on start, with helpers for short transactions. A commit is on disk when
 * it returns: SQLite runs in WAL mode with {@code synchronous=FULL} (an fsync of the log per commit).
 * SQLite has one writer at a time: the store's write transactions take a fair lock of this process first and
 * then SQLite's write lock ({@code BEGIN IMMEDIATE}, waiting up to {@code busy_timeout}), so concurrent importers
 * and hooks wait their turn instead of failing with SQLITE_BUSY; reads never wait (WAL).
 */
public final class StateStore extends ServiceSupport {

    /** Work on a connection, in or out of a transaction. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    /** SQLite's single writer per file, in this process: fair, so no writer starves behind the others. */
    private static final Map<Path, ReentrantLock> WRITERS = new ConcurrentHashMap<>();
    private final ReentrantLock writer;
    /** The embedded store's file, this process's alone while the store is open; null for PostgreSQL. */
    private final EmbeddedStoreLock instanceLock;

    public StateStore(String url, String user, String password, int poolSize) {
        this.dialect = StoreUrls.isSqlite(url) ? Dialect.SQLITE : Dialect.POSTGRESQL;
        HikariConfig config = new HikariConfig();
        config.setPoolName("state-store");
        config.setJdbcUrl(dialect == Dialect.SQLITE ? StoreUrls.effective(url) : url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(-1);
        if (dialect == Dialect.SQLITE) {
            Path file = Path.of(StoreUrls.sqliteFile(url)).toAbsolutePath().normalize();
            createFolder(file);
            writer = WRITERS.computeIfAbsent(file, f -> new ReentrantLock(true));
            instanceLock = EmbeddedStoreLock.take(file);
        } else {
            writer = null;
            instanceLock = null;
        }
        if (url.startsWith("jdbc:postgresql:") && !url.contains("reWriteBatchedInserts")) {
            // PgJDBC sends a batch of inserts as multi-row INSERTs: the event log's batches go about 1.7 times as fast
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        this.dataSource = new HikariDataSource(config);
    }

    private static void createFolder(Path file) {
        Path parent = file.getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of the state store " + file, e);
        }
    }

    /** Brings the schema to the newest version: the shared migrations of db/migration and those of the dialect. */
    public void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration", "classpath:db/" + dialect.folder)
                .placeholders(dialect.placeholders)
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        if (writer != null) {
            writer.lock(); // not interruptibly: a write asked for during a stop (a run marked failed) still happens
            try {
                return transaction(work);
            } finally {
                writer.unlock();
            }
        }
        return transaction(work);
    }

    private <T> T transaction(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } catch (AssertionError driverFailure) {
                throw connectionLost(driverFailure);
            }
        } catch (SQLException e) {
            throw new StateStoreException(e);
        }
    }

    /**
     * PgJDBC throws {@code AssertionError("pgStatement.getConnection().getAutoCommit() should not throw")} when the
     * server goes away in the middle of a batch: to the callers it is the store failing like any other.
     */
    private static SQLException connectionLost(AssertionError driverFailure) {
        return new SQLException("the connection to the state store broke: " + driverFailure.getMessage(),
                "08006", driverFailure);
    }

    /**
     * Runs a long read whose rows are streamed: in a read-only transaction on PostgreSQL (PgJDBC reads the whole result
     * at once in auto-commit mode), in auto-commit mode on SQLite, whose single statement reads one snapshot
     * and streams anyway, and where a transaction would hold the one write lock while the rows are read.
     */
    public <T> T streaming(SqlWork<T> work) {
        return dialect == Dialect.SQLITE ? read(work) : inTransaction(work);
    }

    /** Runs {@code work} on a connection in auto-commit mode. */
    public <T> T read(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StateStoreException(e);
        } catch (AssertionError driverFailure) {
            throw new StateStoreException(connectionLost(driverFailure));
        }
    }

    /**
     * Whether this process holds the store alone: the embedded store's file lock ({@link EmbeddedStoreLock}) keeps
     * every other instance out, so any other instance's lease in it belongs to a process that is gone.
     */
    public boolean heldAlone() {
        return instanceLock != null;
    }

    /** Whether the store answers a trivial query within a few seconds. */
    public boolean isUp() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(3);
        } catch (SQLException e) {
            return false;
        }
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** A timestamp column as an instant: PostgreSQL's timestamptz, or SQLite's ISO-8601 text ({@link Sql#bind}). */
    public static Instant instant(ResultSet rows, int column) throws SQLException {
        return instant(offsetDateTime(rows, column));
    }

    /** A timestamp column, in UTC, whichever the dialect. */
    public static OffsetDateTime offsetDateTime(ResultSet rows, int column) throws SQLException {
        Object value = rows.getObject(column);
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            return OffsetDateTime.parse(text);
        }
        return rows.getObject(column, OffsetDateTime.class);
    }

    /** The two kinds of state store: where their own migrations are, and the placeholders of the shared ones. */
    public enum Dialect {
        POSTGRESQL("postgresql", Map.of("id", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")),
        SQLITE("sqlite", Map.of("id", "INTEGER PRIMARY KEY AUTOINCREMENT"));

        private final String folder;
        private final Map<String, String> placeholders;

        Dialect(String folder, Map<String, String> placeholders) {
            this.folder = folder;
            this.placeholders = placeholders;
        }
    }

    @Override
    protected void doStop() {
        dataSource.close();
        if (instanceLock != null) {
            instanceLock.close();
        }
    }
}
