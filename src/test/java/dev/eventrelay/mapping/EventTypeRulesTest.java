package dev.eventrelay.mapping;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventTypeRulesTest {

    @Test
    void ordinaryNamesAreValid() {
        assertThat(EventTypeRules.violation("Purchase")).isNull();
        assertThat(EventTypeRules.violation("Placed Order")).isNull();
        assertThat(EventTypeRules.violation("add_to_cart")).isNull();
        assertThat(EventTypeRules.violation("level2")).isNull();
    }

    @Test
    void missingNameIsEmpty() {
        assertThat(EventTypeRules.violation(null)).isEqualTo("event type is empty");
    }

    @Test
    void blankNameIsEmpty() {
        assertThat(EventTypeRules.violation("")).isEqualTo("event type is empty");
        assertThat(EventTypeRules.violation("   ")).isEqualTo("event type is empty");
    }

    @Test
    void nameWithAPeriodIsRejected() {
        assertThat(EventTypeRules.violation("view.product")).isEqualTo("event type 'view.product' contains a period");
    }

    @Test
    void purelyNumericNameIsRejected() {
        assertThat(EventTypeRules.violation("12345")).isEqualTo("event type '12345' is purely numeric");
    }

    @Test
    void sixtyFourCharactersAreAllowed() {
        assertThat(EventTypeRules.violation("a".repeat(64))).isNull();
    }

    @Test
    void sixtyFiveCharactersAreTooLong() {
        String name = "a".repeat(65);
        assertThat(EventTypeRules.violation(name))
                .isEqualTo("event type '" + name + "' is 65 characters long, at most 64 are allowed");
    }
}
