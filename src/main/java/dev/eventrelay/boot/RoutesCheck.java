package dev.eventrelay.boot;

import org.apache.camel.CamelContext;
import org.apache.camel.LineNumberAware;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the route files of {@code camel.main.routes-include-pattern} without starting anything: each file is
 * parsed by Camel's YAML DSL into a context that is never started, and reported with its file and line when it
 * does not parse, when a {@code {{key}}} placeholder has no value (template parameters and {@code {{?key}}},
 * {@code {{key:default}}} aside), when a route or template has no id or no description (house rule), or when
 * two routes or two templates share an id.
 */
public final class RoutesCheck {

    public static final String PATTERN_KEY = "camel.main.routes-include-pattern";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+)}}");
    private static final Pattern LINE = Pattern.compile("line (\\d+), column (\\d+)");

    private final PropertiesComponent properties;
    private final List<String> problems = new ArrayList<>();
    /** Ids already seen, with the file and line where, for duplicates. */
    private final Map<String, String> routeIds = new LinkedHashMap<>();
    private final Map<String, String> templateIds = new LinkedHashMap<>();

    private RoutesCheck(PropertiesComponent properties) {
        this.properties = properties;
    }

    /** The problems of the route files that {@code context}'s properties name; the context is only read. */
    public static List<String> problems(CamelContext context) {
        PropertiesComponent pc = context.getPropertiesComponent();
        String patterns = pc.resolveProperty(PATTERN_KEY).orElse(null);
        if (patterns == null || patterns.isBlank()) {
            return List.of();
        }
        RoutesCheck check = new RoutesCheck(pc);
        // never started, so never stopped: it holds no thread, no server and no consumer
        DefaultCamelContext scratch = new DefaultCamelContext();
        scratch.setSourceLocationEnabled(true);
        List<Resource> resources = new ArrayList<>();
        for (String pattern : patterns.split(",")) {
            try {
                resources.addAll(PluginHelper.getPackageScanResourceResolver(scratch).findResources(pattern.strip()));
            } catch (Exception e) {
                check.problems.add(PATTERN_KEY + " '" + pattern.strip() + "' cannot be searched: " + e.getMessage());
            }
        }
        if (resources.isEmpty() && check.problems.isEmpty()) {
            check.problems.add(PATTERN_KEY + " '" + patterns + "' matches no route file; the service would have"
                    + " no routes (run from the project folder, or fix the pattern)");
        }
        resources.sort(Comparator.comparing(Resource::getLocation));
        RoutesLoader loader = PluginHelper.getRoutesLoader(scratch);
        for (Resource resource : resources) {
            check.file(scratch, loader, resource);
        }
        return List.copyOf(check.problems);
    }

    private void file(CamelContext scratch, RoutesLoader loader, Resource resource) {
        String file = name(resource);
        List<RouteBuilder> builders = new ArrayList<>();
        try {
            for (RoutesBuilder builder : loader.findRoutesBuilders(List.of(resource))) {
                if (builder instanceof RouteBuilder routeBuilder) {
                    routeBuilder.configureRoutes(scratch);
                    builders.add(routeBuilder);
                }
            }
        } catch (Exception e) {
            problems.add(file + where(e) + ": does not parse: " + message(e));
            return;
        }
        Set<String> parameters = new HashSet<>();
        for (RouteBuilder builder : builders) {
            for (RouteDefinition route : builder.getRouteCollection().getRoutes()) {
                described(file, "route", route, route.getRouteId());
                unique(file, "route", route.getRouteId(), route, routeIds);
            }
            for (RouteTemplateDefinition template : builder.getRouteTemplateCollection().getRouteTemplates()) {
                described(file, "route template", template, template.getId());
                unique(file, "route template", template.getId(), template, templateIds);
                for (RouteTemplateParameterDefinition parameter : template.getTemplateParameters()) {
                    parameters.add(parameter.getName());
                }
            }
        }
        placeholders(file, resource, parameters);
    }

    /** House rule: every route and template has an id and a description. */
    private void described(String file, String what, OptionalIdentifiedDefinition<?> definition, String id) {
        if (id == null || id.isBlank()) {
            problems.add(file + line(definition) + ": a " + what + " has no id; give it a kebab-case id");
        } else if (definition.getDescriptionText() == null || definition.getDescriptionText().isBlank()) {
            problems.add(file + line(definition) + ": " + what + " '" + id + "' has no description; say in one line"
                    + " what it does");
        }
    }

    private void unique(String file, String what, String id, Object definition, Map<String, String> seen) {
        if (id == null || id.isBlank()) {
            return;
        }
        String here = file + line(definition);
        String before = seen.putIfAbsent(id, here);
        if (before != null) {
            problems.add(here + ": " + what + " id '" + id + "' is already used at " + before + "; ids must be unique");
        }
    }

    /** Every {@code {{key}}} outside comments must resolve, unless it is a template parameter or has a default. */
    private void placeholders(String file, Resource resource, Set<String> parameters) {
        String text;
        try (InputStream in = resource.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(file + ": cannot be read: " + e.getMessage());
            return;
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].stripLeading().startsWith("#")) {
                continue;
            }
            Matcher matcher = PLACEHOLDER.matcher(lines[i]);
            while (matcher.find()) {
                String problem = placeholder(matcher.group(1).strip(), parameters);
                if (problem != null) {
                    problems.add(file + ":" + (i + 1) + ": " + problem);
                }
            }
        }
    }

    private String placeholder(String key, Set<String> parameters) {
        if (key.startsWith("?") || parameters.contains(key)) {
            return null;
        }
        int colon = key.indexOf(':');
        if (colon > 0) {
            String function = key.substring(0, colon);
            if (function.equals("env") && key.indexOf(':', colon + 1) < 0
                    && properties.resolveProperty(key).isEmpty()) {
                return "{{" + key + "}} reads the environment variable " + key.substring(colon + 1) + ", which is"
                        + " not set; set it, or write {{" + key + ":default}}";
            }
            return null;
        }
        if (properties.resolveProperty(key).isPresent()) {
            return null;
        }
        return "{{" + key + "}} has no value; set " + key + " in the properties file, or write {{" + key
                + ":default}} (or {{?" + key + "}} when it is optional)";
    }

    private static String name(Resource resource) {
        String location = resource.getLocation();
        int colon = location.indexOf(':');
        return colon > 1 ? location.substring(colon + 1) : location;
    }

    private static String line(Object definition) {
        return definition instanceof LineNumberAware aware && aware.getLineNumber() > 0
                ? ":" + aware.getLineNumber() : "";
    }

    /** {@code :line:column} of the first error in the chain that has a position, else nothing. */
    private static String where(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            Matcher matcher = LINE.matcher(String.valueOf(e.getMessage()));
            if (matcher.find()) {
                return ":" + matcher.group(1) + ":" + matcher.group(2);
            }
        }
        return "";
    }

    /** The innermost message with a position (else the innermost message), on one line. */
    private static String message(Throwable error) {
        Throwable chosen = error;
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e.getMessage() != null) {
                chosen = e;
                if (LINE.matcher(e.getMessage()).find()) {
                    break;
                }
            }
        }
        String first = String.valueOf(chosen.getMessage()).strip().lines().findFirst().orElse("");
        return first.isEmpty() ? chosen.getClass().getSimpleName() : first;
    }
}
