package dev.eventrelay.boot;

import dev.eventrelay.common.Secrets;
import dev.eventrelay.settings.ConfigSources;
import dev.eventrelay.settings.PropertyReader;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.PropertiesFunction;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The command {@code bin/check-config [properties file …]}: checks the configuration files and the route files
 * they name without starting anything (no server, no store, no consumer), with the same check start-up runs
 * ({@link ValidatedConfig#check}). Prints {@code configuration OK: …}, or every problem on its own line starting
 * with the key (or route file and line) to fix, and exits 1. With several files, the first file that sets a key
 * wins, as for the service started with {@code -Drelay.config=file:profile.properties,file:application.properties}
 * (Camel's rule for several locations).
 */
public final class ConfigCheck {

    public static final String DEFAULT_FILE = "application.properties";

    /** What the check found: the settings as read, and every problem (warehouse syncs that will not start too). */
    public record Report(ValidatedConfig settings, List<String> problems, List<String> syncsNotStarted,
                         List<String> origins) {

        public boolean ok() {
            return problems.isEmpty() && syncsNotStarted.isEmpty();
        }

        /** Every problem, then every sync that will not start, one per line. */
        public List<String> all() {
            List<String> all = new ArrayList<>(problems);
            all.addAll(syncsNotStarted);
            return all;
        }

        public String summary() {
            return count(settings.imports().size(), "import") + ", "
                    + count(settings.syncs().size(), "warehouse sync") + ", "
                    + count(settings.eventTypes().all().size(), "event type") + ", "
                    + count(settings.hooks().size(), "hook");
        }

        private static String count(int n, String what) {
            return n + " " + what + (n == 1 ? "" : "s");
        }
    }

    private ConfigCheck() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, ConfigSources.ofThisProcess()));
    }

    /** {@link #run(String[], PrintStream, ConfigSources)} with {@code environment} and no system properties. */
    public static int run(String[] args, PrintStream out, Map<String, String> environment) {
        return run(args, out, new ConfigSources(environment, Map.of()));
    }

    /**
     * Checks the files of {@code args} (default {@value #DEFAULT_FILE}) with the environment variables and system
     * properties of {@code sources}, prints the outcome and where each value set comes from, returns the exit code.
     */
    public static int run(String[] args, PrintStream out, ConfigSources sources) {
        List<String> files = args.length == 0 ? List.of(DEFAULT_FILE) : List.of(args);
        for (String file : files) {
            if (!Files.isReadable(Path.of(file))) {
                out.println(file + " cannot be read");
                return 2;
            }
        }
        Report report = check(files.stream().map(file -> "file:" + file).collect(Collectors.joining(",")),
                sources);
        String names = String.join(" + ", files);
        if (report.ok()) {
            out.println("configuration OK: " + names + ": " + report.summary());
            printOrigins(report, out);
            return 0;
        }
        if (!report.problems().isEmpty()) {
            out.println(names + " has " + report.problems().size()
                    + (report.problems().size() == 1 ? " problem" : " problems") + "; the service would not start:");
            report.problems().forEach(out::println);
        }
        if (!report.syncsNotStarted().isEmpty()) {
            out.println("warehouse syncs that will not start (the rest would run):");
            report.syncsNotStarted().forEach(out::println);
        }
        return 1;
    }

    private static void printOrigins(Report report, PrintStream out) {
        out.println("values set, and where each comes from: an environment variable wins over a system property, which"
                + " wins over the first file that sets the key; every other key has its default (docs/configuration.md):");
        report.origins().forEach(line -> out.println("  " + line));
    }

    /**
     * Checks the properties at {@code locations} (Camel's syntax: {@code file:a.properties,file:b.properties})
     * and their route files, reading {@code {{env:NAME}}} from {@code environment}.
     */
    public static Report check(String locations, Map<String, String> environment) {
        return check(locations, new ConfigSources(environment, Map.of()));
    }

    /**
     * Checks the properties at {@code locations} with the overrides of {@code sources} (environment variables
     * named after the keys, system properties), reading {@code {{env:NAME}}} from its environment too.
     */
    public static Report check(String locations, ConfigSources sources) {
        // never started, so never stopped: only its properties component is used
        DefaultCamelContext context = new DefaultCamelContext();
        PropertiesComponent pc = context.getPropertiesComponent();
        pc.setLocation(locations);
        // the overrides come from sources alone, not from this JVM's own environment
        var camelProperties = (org.apache.camel.component.properties.PropertiesComponent) pc;
        camelProperties.setEnvironmentVariableMode(org.apache.camel.component.properties.PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
        camelProperties.setSystemPropertiesMode(org.apache.camel.component.properties.PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
        pc.addPropertiesFunction(new Environment(sources.environment()));
        PropertyReader p = PropertyReader.load(pc, sources);
        ValidatedConfig settings = ValidatedConfig.check(context, p);
        List<String> syncs = new ArrayList<>(settings.syncsNotStarted().values());
        return new Report(settings, p.problems(), syncs, origins(p));
    }

    /** {@code key = value (source)} for every key the configuration read that some source sets, secrets masked. */
    private static List<String> origins(PropertyReader p) {
        Set<String> keys = new TreeSet<>(p.asked());
        Secrets.remember(keys, key -> p.string(key, null));
        List<String> lines = new ArrayList<>();
        for (String key : keys) {
            ConfigSources.Origin origin = p.origin(key);
            if (origin != null) {
                String value = p.string(key, "");
                lines.add(key + " = " + (value.isEmpty() ? "(empty)" : Secrets.mask(value)) + "   (" + origin.source() + ")");
            }
        }
        return lines;
    }

    /** Camel's {@code env:} function over a given environment. */
    private record Environment(Map<String, String> variables) implements PropertiesFunction {

        @Override
        public String getName() {
            return "env";
        }

        @Override
        public String apply(String remainder) {
            int colon = remainder.indexOf(':');
            String name = colon < 0 ? remainder : remainder.substring(0, colon);
            String value = variables.get(name);
            if (value == null) {
                value = variables.get(name.toUpperCase(Locale.ROOT).replace('-', '_'));
            }
            return value != null ? value : colon < 0 ? null : remainder.substring(colon + 1);
        }
    }
}
