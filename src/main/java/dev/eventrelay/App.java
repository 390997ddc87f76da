package dev.eventrelay;

import dev.eventrelay.config.RelayConfiguration;
import org.apache.camel.main.Main;

/** Starts Event Relay: Camel main with the routes of {@code routes/} and the beans of {@link RelayConfiguration}. */
public final class App {

    /** The configuration file; {@code -Drelay.config=file:other.properties} picks another. */
    public static final String CONFIG = System.getProperty("relay.config", "file:application.properties");

    private App() {
    }

    public static void main(String[] args) throws Exception {
        create(CONFIG).run(args);
    }

    /** A Camel main that reads {@code configLocation} (for example {@code file:application.properties}). */
    public static Main create(String configLocation) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(configLocation);
        main.configure().addConfiguration(RelayConfiguration.class);
        return main;
    }
}
