package dev.eventrelay.mapping;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class EventDatesTest {

    private final EventDates berlin = new EventDates(ZoneId.of("Europe/Berlin"));
    private final EventDates utc = new EventDates(ZoneOffset.UTC);

    @Test
    void localFormIsReadInTheImportsTimeZone() {
        assertThat(berlin.parse("2026-11-22 14:00:00")).isEqualTo(Instant.parse("2026-11-22T13:00:00Z"));
        assertThat(utc.parse("2026-11-22 14:00:00")).isEqualTo(Instant.parse("2026-11-22T14:00:00Z"));
    }

    @Test
    void localFormFollowsSummerTimeOfTheZone() {
        assertThat(berlin.parse("2026-07-01 14:00:00")).isEqualTo(Instant.parse("2026-07-01T12:00:00Z"));
    }

    @Test
    void isoFormWithAnOffsetKeepsItsOwnOffsetWhateverTheZone() {
        assertThat(berlin.parse("2026-11-22T05:00:00+01:00")).isEqualTo(Instant.parse("2026-11-22T04:00:00Z"));
        assertThat(berlin.parse("2026-11-22T05:00:00-03:30")).isEqualTo(Instant.parse("2026-11-22T08:30:00Z"));
    }

    @Test
    void isoFormInZuluIsUtc() {
        assertThat(berlin.parse("2026-11-22T04:19:42Z")).isEqualTo(Instant.parse("2026-11-22T04:19:42Z"));
    }

    @Test
    void isoFormKeepsFractionalSeconds() {
        assertThat(utc.parse("2026-11-22T04:19:42.123456Z")).isEqualTo(Instant.parse("2026-11-22T04:19:42.123456Z"));
    }

    @Test
    void dayFirstFormWithoutSecondsIsRejected() {
        assertThat(berlin.parse("22/11/2026 14:00")).isNull();
    }

    @Test
    void localFormRefusesDaysAndTimesThatDoNotExistAndDigitsOfOtherScripts() {
        assertThat(utc.parse("2026-02-29 00:00:00")).isNull();
        assertThat(utc.parse("2028-02-29 00:00:00")).isEqualTo(Instant.parse("2028-02-29T00:00:00Z"));
        assertThat(utc.parse("2026-11-22 24:00:00")).isNull();
        assertThat(utc.parse("2026-11-22 23:60:00")).isNull();
        assertThat(utc.parse("2026-11-22 23:00:60")).isNull();
        assertThat(utc.parse("2026-11-00 10:00:00")).isNull();
        assertThat(utc.parse("2026-11-2\u0664 10:00:00")).isNull(); // ARABIC-INDIC DIGIT FOUR
        assertThat(utc.parse("2026/11/22 10:00:00")).isNull();
        assertThat(utc.parse("2026-11-22 10-00-00")).isNull();
        assertThat(utc.parse("+026-11-22 10:00:00")).isNull();
    }

    @Test
    void monthThirteenIsRejected() {
        assertThat(berlin.parse("2026-13-01 00:00:00")).isNull();
    }

    @Test
    void isoFormWithoutAnOffsetIsRejected() {
        assertThat(utc.parse("2026-11-22T04:19:42")).isNull();
    }

    @Test
    void dateAloneIsRejected() {
        assertThat(utc.parse("2026-11-22")).isNull();
    }

    @Test
    void nonexistentDayIsRejected() {
        assertThat(utc.parse("2026-02-30 00:00:00")).isNull();
    }

    @Test
    void nonexistentDayInIsoFormIsRejected() {
        assertThat(utc.parse("2026-02-30T00:00:00Z")).isNull();
    }

    @Test
    void spaceFormWithAnOffsetIsRejected() {
        assertThat(utc.parse("2026-11-22 14:00:00+01:00")).isNull();
    }
}
