package dev.eventrelay.mapping;

import dev.eventrelay.model.AttributeType;
import dev.eventrelay.model.EventType;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTemplateTest {

    private static final EventType LOGIN = new EventType("UDE_7KQ2LOGIN", "Login", attributes(
            "device", AttributeType.STRING, "first_login", AttributeType.BOOLEAN));

    @Test
    void theDefaultLayoutGivesRequiredColumnsThenAttributesInOrderThenUtm() {
        assertThat(CsvTemplate.header(List.of("externalId", "eventDate"), LOGIN)).containsExactly(
                "externalId", "eventDate", "device", "first_login",
                "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content");
    }

    @Test
    void withoutRequiredColumnsAnIdentifierAndAnEventDateColumnAreAdded() {
        assertThat(CsvTemplate.header(List.of(), LOGIN)).startsWith("externalId", "eventDate", "device");
    }

    @Test
    void aRequiredIdentifierOrDateOfAnotherNameTakesTheirPlace() {
        assertThat(CsvTemplate.header(List.of("email", "timestamp"), LOGIN))
                .containsExactly("email", "timestamp", "device", "first_login",
                        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content");
    }

    @Test
    void aColumnThatIsBothRequiredAndAnAttributeAppearsOnce() {
        assertThat(CsvTemplate.header(List.of("externalId", "device", "utm_source"), LOGIN)).containsExactly(
                "externalId", "device", "utm_source", "eventDate", "first_login",
                "utm_medium", "utm_campaign", "utm_term", "utm_content");
    }

    private static Map<String, AttributeType> attributes(Object... pairs) {
        Map<String, AttributeType> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (AttributeType) pairs[i + 1]);
        }
        return map;
    }
}
