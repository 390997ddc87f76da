package dev.eventrelay.boot;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layers of docs/architecture.md, read from the imports of {@code src/main}: a package may import only packages
 * of a lower layer (or itself). Two packages of one layer never import each other.
 */
class LayersTest {

    /** Lowest first; the drawing in docs/architecture.md shows the same order. */
    static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("model", 0),
            Map.entry("common", 1),
            Map.entry("settings", 2),
            Map.entry("state", 3),
            Map.entry("mapping", 4),
            Map.entry("systemevents", 4),
            Map.entry("backbone", 4),
            Map.entry("ingest", 5),
            Map.entry("delivery", 5),
            Map.entry("ingest.file", 6),
            Map.entry("ingest.warehouse", 6),
            Map.entry("ingest.upload", 7),
            Map.entry("ingest.recovery", 7),
            Map.entry("ops", 8),
            Map.entry("boot", 9));

    private static final Path SOURCES = Path.of("src/main/java/dev/eventrelay");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.eventrelay\\.([a-z.]+)\\.[A-Z]",
            Pattern.MULTILINE);

    @Test
    void everyPackageOfTheSourcesHasALayer() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            List<String> packages = files.filter(p -> p.toString().endsWith(".java"))
                    .map(LayersTest::packageOf).distinct().toList();
            assertThat(packages).isNotEmpty().allSatisfy(p -> assertThat(LAYER).containsKey(p));
        }
    }

    @Test
    void importsPointOnlyToLowerLayers() throws IOException {
        List<String> upward = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String from = packageOf(file);
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String to = m.group(1);
                    if (!to.equals(from) && LAYER.getOrDefault(to, Integer.MAX_VALUE) >= LAYER.get(from)) {
                        upward.add(SOURCES.relativize(file) + " imports " + to);
                    }
                }
            }
        }
        assertThat(upward).isEmpty();
    }

    @Test
    void anImportFromALowerLayerToAHigherOneIsFound() {
        Matcher m = IMPORT.matcher("package dev.eventrelay.state;\nimport dev.eventrelay.ops.Health;\n");
        assertThat(m.find()).isTrue();
        assertThat(LAYER.get(m.group(1))).isGreaterThan(LAYER.get("state"));
    }

    private static String packageOf(Path file) {
        return SOURCES.relativize(file.getParent()).toString().replace('/', '.');
    }
}
