package dev.eventrelay.state;

import java.sql.SQLException;

/** The state store failed: the message carries the database's own words. */
public class StateStoreException extends RuntimeException {

    public StateStoreException(SQLException cause) {
        super("state store: " + cause.getMessage(), cause);
    }
}
