package dev.eventrelay.settings;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where a {@code relay.*} key may be set besides the properties files, the way containers need it, and by
 * Camel's own rule for placeholders: an environment variable named after the key ({@code RELAY_STORE_URL} for
 * {@code relay.store.url}: upper case, dots and dashes as underscores) wins over a JVM system property of the
 * exact key ({@code -Drelay.store.url=…}), which wins over the files.
 *
 * @param environment      the environment variables
 * @param systemProperties the {@code relay.*} JVM system properties
 */
public record ConfigSources(Map<String, String> environment, Map<String, String> systemProperties) {

    /** Where an effective value came from, worded for a person: "environment variable RELAY_X" and so on. */
    public record Origin(String value, String source) {
    }

    public ConfigSources {
        environment = Map.copyOf(environment);
        systemProperties = Map.copyOf(systemProperties);
    }

    /** The environment and the system properties of this JVM. */
    public static ConfigSources ofThisProcess() {
        return of(System.getenv(), System.getProperties());
    }

    /** {@code environment} and the {@code relay.*} keys of {@code properties}. */
    public static ConfigSources of(Map<String, String> environment, Properties properties) {
        Map<String, String> relay = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("relay.") && !key.equals("relay.config")) {
                relay.put(key, properties.getProperty(key));
            }
        }
        return new ConfigSources(environment, relay);
    }

    /** No variables and no system properties: the files alone. */
    public static ConfigSources none() {
        return new ConfigSources(Map.of(), Map.of());
    }

    /** The environment variable that sets {@code key}: {@code relay.hooks.my-hook.url} → {@code RELAY_HOOKS_MY_HOOK_URL}. */
    public static String variableOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value that overrides the files for {@code key}, with its source; null when the files decide. */
    public Origin override(String key) {
        String variable = variableOf(key);
        String fromEnvironment = environment.get(variable);
        if (fromEnvironment != null) {
            return new Origin(fromEnvironment, "environment variable " + variable);
        }
        String fromSystem = systemProperties.get(key);
        if (fromSystem != null) {
            return new Origin(fromSystem, "system property -D" + key);
        }
        return null;
    }
}
