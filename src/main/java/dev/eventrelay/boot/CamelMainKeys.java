package dev.eventrelay.boot;

import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.util.StringHelper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Checks the {@code camel.main.*}, {@code camel.server.*} and {@code camel.routecontroller.*} keys the way Camel
 * main binds them at start-up, into throw-away configuration objects: a key that is no option, or a value that
 * does not convert (a port that is not a number, a boolean that is not one), is a problem naming the key.
 */
final class CamelMainKeys {

    private CamelMainKeys() {
    }

    static List<String> problems(CamelContext context) {
        PropertiesComponent pc = context.getPropertiesComponent();
        Properties camel = pc.loadProperties(key -> key.startsWith("camel."));
        MainConfigurationProperties main = new MainConfigurationProperties();
        Map<String, Object> targets = Map.of("camel.main.", main, "camel.server.", main.httpServer(),
                "camel.routecontroller.", main.routeControllerConfig());
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(camel.stringPropertyNames())) {
            for (Map.Entry<String, Object> target : targets.entrySet()) {
                if (key.startsWith(target.getKey())) {
                    String problem = bind(context, target.getValue(), key, key.substring(target.getKey().length()),
                            pc.resolveProperty(key).orElse(""));
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
            }
        }
        return problems;
    }

    private static String bind(CamelContext context, Object target, String key, String option, String value) {
        try {
            boolean bound = PropertyBindingSupport.build().withCamelContext(context).withTarget(target)
                    .withIgnoreCase(true).withProperty(StringHelper.dashToCamelCase(option), value).bind();
            return bound ? null : key + " is not a Camel main option; check its spelling against the Camel main"
                    + " documentation (camel.main.*, camel.server.*, camel.routecontroller.*)";
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return key + " '" + value + "' cannot be set: " + root.getMessage();
        }
    }
}
