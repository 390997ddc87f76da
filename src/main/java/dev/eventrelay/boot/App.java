package dev.eventrelay.boot;

import org.apache.camel.main.Main;

/** Starts Event Relay: Camel main with the routes of {@code routes/} and the beans of {@link RelayWiring}. */
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
        main.configure().addConfiguration(RelayWiring.class);
        return main;
    }
}
