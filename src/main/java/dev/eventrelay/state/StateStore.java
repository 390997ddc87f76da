package dev.eventrelay.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The relational state store: a pooled JDBC data source (an H2 file by default, PostgreSQL when
 * configured) migrated by Flyway on start, with helpers for short transactions.
 */
public final class StateStore extends ServiceSupport {

    /** Work on a connection, in or out of a transaction. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private final HikariDataSource dataSource;

    public StateStore(String url, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("state-store");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(-1);
        this.dataSource = new HikariDataSource(config);
    }

    /** Brings the schema to the newest version. */
    public void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
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

    @Override
    protected void doStop() {
        dataSource.close();
    }
}
