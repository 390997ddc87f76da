package dev.eventrelay.state;

import dev.eventrelay.settings.PropertyReader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionPolicyTest {

    @Test
    void theDefaultsKeepEventsAWeekRunsNinetyDaysAndTheRestThirty() {
        PropertyReader p = PropertyReader.of(Map.of());
        RetentionPolicy policy = RetentionPolicy.read(p, 7);

        assertThat(p.problems()).isEmpty();
        assertThat(policy).isEqualTo(new RetentionPolicy(true, Duration.ofHours(1), 1000, 100, 7, 90, 30, 30, 30, 30));
    }

    @Test
    void aLedgerKeptShorterThanTheLongestLookBackPlusTwoDaysStopsStartUpNamingBothKeys() {
        PropertyReader p = PropertyReader.of(Map.of("relay.retention.ledger.days", "10"));

        RetentionPolicy.read(p, 9);

        assertThat(p.problems()).singleElement().asString().contains("relay.retention.ledger.days", "is 10",
                "at least 11", "relay.import.<name>.look-back.days");
    }

    @Test
    void minusOneKeepsForeverAndATypoIsNamed() {
        PropertyReader p = PropertyReader.of(Map.of("relay.retention.ledger.days", "-1", "relay.retention.events.days",
                "-1", "relay.retention.event.days", "3"));

        RetentionPolicy policy = RetentionPolicy.read(p, 366);

        assertThat(policy.ledgerDays()).isEqualTo(RetentionPolicy.KEEP);
        assertThat(policy.eventDays()).isEqualTo(RetentionPolicy.KEEP);
        assertThat(p.problems()).singleElement().asString().contains("relay.retention.event.days", "not a known key");
    }

    @Test
    void daysBelowMinusOneAreRefused() {
        PropertyReader p = PropertyReader.of(Map.of("relay.retention.runs.days", "-2"));

        RetentionPolicy.read(p, 7);

        assertThat(p.problems()).singleElement().asString().contains("relay.retention.runs.days", "between -1");
    }
}
