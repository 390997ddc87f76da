package dev.eventrelay.boot;

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
    public record Report(ValidatedConfig settings, List<String> problems, List<String> syncsNotStarted) {

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
        System.exit(run(args, System.out, System.getenv()));
    }

    /** Checks the files of {@code args} (default {@value #DEFAULT_FILE}), prints the outcome, returns the exit code. */
    public static int run(String[] args, PrintStream out, Map<String, String> environment) {
        List<String> files = args.length == 0 ? List.of(DEFAULT_FILE) : List.of(args);
        for (String file : files) {
            if (!Files.isReadable(Path.of(file))) {
                out.println(file + " cannot be read");
                return 2;
            }
        }
        Report report = check(files.stream().map(file -> "file:" + file).collect(Collectors.joining(",")),
                environment);
        String names = String.join(" + ", files);
        if (report.ok()) {
            out.println("configuration OK: " + names + ": " + report.summary());
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

    /**
     * Checks the properties at {@code locations} (Camel's syntax: {@code file:a.properties,file:b.properties})
     * and their route files, reading {@code {{env:NAME}}} from {@code environment}.
     */
    public static Report check(String locations, Map<String, String> environment) {
        // never started, so never stopped: only its properties component is used
        DefaultCamelContext context = new DefaultCamelContext();
        PropertiesComponent pc = context.getPropertiesComponent();
        pc.setLocation(locations);
        pc.addPropertiesFunction(new Environment(environment));
        PropertyReader p = PropertyReader.load(pc);
        ValidatedConfig settings = ValidatedConfig.check(context, p);
        List<String> syncs = new ArrayList<>(settings.syncsNotStarted().values());
        return new Report(settings, p.problems(), syncs);
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
