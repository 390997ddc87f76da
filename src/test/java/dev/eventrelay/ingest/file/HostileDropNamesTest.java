package dev.eventrelay.ingest.file;

import dev.eventrelay.mapping.EventTypes;
import dev.eventrelay.model.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names on an SFTP folder that only look like drops: each is left alone and reported with the reason
 * (or, for the last rows, picked), and no report can carry a line break or an invisible character.
 */
class HostileDropNamesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
    private static final DropSelector SELECTOR = new DropSelector("udc_1itzAa15r", 7, new EventTypes(Map.of(
            "UDE_7KQ2LOGIN", new EventType("UDE_7KQ2LOGIN", "Login", Map.of()))));

    @ParameterizedTest(name = "[{0}] {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv `   | does not match
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.CSV`    | does not match
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv.part` | does not match
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv.tmp`  | does not match
            `.udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv.swp` | does not match
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-01.csv`   | does not match
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-0.csv`    | does not match
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1234567890.csv` | does not match
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20260230-1.csv`    | does not match
            `udc_1itzAa15r-UDE_7KQ2LOGIN-261122-1.csv`      | does not match
            `udc_1itzAa15r-UDE_7KQ2LOGIN-２０２６１１２２-1.csv` | does not match
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-١.csv`    | does not match
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1-extra.csv` | does not match
            `udc_1itzAa15r-x-UDE_7KQ2LOGIN-20261122-1.csv`  | does not match
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv\\..\\x.csv` | does not match
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1 .csv`   | does not match
            ` udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv`   | belongs to channel  udc_1itzAa15r, not udc_1itzAa15r
            `..-UDE_7KQ2LOGIN-20261122-1.csv`               | belongs to channel .., not
            `UDC_1ITZAA15R-UDE_7KQ2LOGIN-20261122-1.csv`    | belongs to channel UDC_1ITZAA15R
            `udc_1ıtzAa15r-UDE_7KQ2LOGIN-20261122-1.csv`    | belongs to channel udc_1ıtzAa15r
            `udc_1itzAa15r\u202E-UDE_7KQ2LOGIN-20261122-1.csv` | belongs to channel udc_1itzAa15r\\u202E, not
            `udc_1itzAa15r-..-20261122-1.csv`               | has event code .., which no event type has
            `udc_1itzAa15r-UDE 7KQ2LOGIN-20261122-1.csv`    | has event code UDE 7KQ2LOGIN, which
            `udc_1itzAa15r-ude_7kq2login-20261122-1.csv`    | has event code ude_7kq2login, which
            `udc_1itzAa15r-UDE_7KQ2LOGIN\u200B-20261122-1.csv` | has event code UDE_7KQ2LOGIN\\u200B, which
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-999999999.csv` | picked
            `udc_1itzAa15r-UDE_7KQ2LOGIN-20261116-1.csv`    | picked
            """)
    void aNameThatOnlyLooksLikeADropIsLeftAloneWithItsReason(String name, String outcome) {
        DropSelector.Selection selection = SELECTOR.select(List.of(new RemoteFile(name, 10, 1)), Map.of(), TODAY);

        if (outcome.equals("picked")) {
            assertThat(selection.picks()).extracting(p -> p.file().name()).containsExactly(name);
            assertThat(selection.notices()).isEmpty();
        } else {
            assertThat(selection.picks()).isEmpty();
            assertThat(selection.notices()).hasSize(1);
            assertThat(selection.notices().get(0).reason()).contains(outcome).contains("it is left alone");
        }
    }

    @Test
    void aLineBreakInANameCannotForgeAReportLine() {
        String name = "udc_1itzAa15r-UDE_7KQ2LOGIN\nERROR forged-20261122-1.csv";

        DropSelector.Selection selection = SELECTOR.select(List.of(new RemoteFile(name, 10, 1)), Map.of(), TODAY);

        assertThat(selection.notices().get(0).reason()).doesNotContain("\n")
                .contains("has event code UDE_7KQ2LOGIN\\u000AERROR forged");
        assertThat(DropFileName.printable(name)).isEqualTo("udc_1itzAa15r-UDE_7KQ2LOGIN\\u000AERROR forged-20261122-1.csv");
    }
}
