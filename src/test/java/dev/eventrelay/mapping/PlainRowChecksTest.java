package dev.eventrelay.mapping;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-row checks written by hand read exactly what the regular expressions they replace read. */
class PlainRowChecksTest {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,3})?");

    @Test
    void theDecimalCheckAcceptsWhatTheNumberPatternAcceptsAndNothingElse() {
        List<String> samples = List.of("", "+", "-", ".", "1", "-1", "+1.", ".5", "1.5", "1e3", "1E+999", "1e-1000",
                "1e", "e1", "1.2.3", "١٢", "12,50", " 1", "1 ", "0x10", "1.e5", ".e5", "-.5e-2", "++1", "1e+", "Infinity");
        for (String text : samples) {
            assertThat(CsvRowMapper.isDecimal(text)).as(text).isEqualTo(NUMBER.matcher(text).matches());
        }
        Random random = new Random(3);
        char[] alphabet = "0123456789+-.eE x".toCharArray();
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String t = text.toString();
            assertThat(CsvRowMapper.isDecimal(t)).as(t).isEqualTo(NUMBER.matcher(t).matches());
        }
    }

    @Test
    void nestedLevelsSplitAtEveryTripleUnderscoreKeepingEmptyLevels() {
        for (String column : List.of("store", "store___city", "a___b___c", "___a", "a___", "a______b", "a____b",
                "a_b", "______")) {
            assertThat(NestedProperties.levels(column)).as(column).containsExactly(column.split("___", -1));
        }
    }

    @Test
    void aPathResolvedOnceNestsEveryRowsValue() {
        NestedProperties.Path city = NestedProperties.path("store___city");
        NestedProperties.Path country = NestedProperties.path("store___country");
        Map<String, Object> properties = new LinkedHashMap<>();
        NestedProperties.put(properties, city, "Berlin");
        NestedProperties.put(properties, country, "DE");
        assertThat(properties).isEqualTo(Map.of("store", Map.of("city", "Berlin", "country", "DE")));
    }
}
