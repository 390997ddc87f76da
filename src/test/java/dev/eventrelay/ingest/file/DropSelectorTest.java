package dev.eventrelay.ingest.file;

import dev.eventrelay.mapping.EventTypes;
import dev.eventrelay.model.AttributeType;
import dev.eventrelay.model.EventType;
import dev.eventrelay.state.FileLedger;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DropSelectorTest {

    private static final String CHANNEL = "udc_1itzAa15r";
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
    private static final EventTypes EVENT_TYPES = new EventTypes(Map.of(
            "UDE_1JIJANUWB", new EventType("UDE_1JIJANUWB", "Purchase", Map.of("amount", AttributeType.NUMBER)),
            "UDE_7KQ2LOGIN", new EventType("UDE_7KQ2LOGIN", "Login", Map.of())));

    private final DropSelector selector = new DropSelector(CHANNEL, 7, EVENT_TYPES);

    @Test
    void fileOfYesterdayIsSelected() {
        RemoteFile yesterday = file("udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv");

        DropSelector.Selection selection = selector.select(List.of(yesterday), Map.of(), TODAY);

        assertThat(selection.picks()).hasSize(1);
        DropSelector.Pick pick = selection.picks().get(0);
        assertThat(pick.file()).isEqualTo(yesterday);
        assertThat(pick.name().channel()).isEqualTo(CHANNEL);
        assertThat(pick.name().eventCode()).isEqualTo("UDE_1JIJANUWB");
        assertThat(pick.name().date()).isEqualTo(LocalDate.of(2026, 11, 22));
        assertThat(pick.name().sequence()).isEqualTo(1);
        assertThat(selection.notices()).isEmpty();
    }

    @Test
    void filesOfTodayAndLaterAreNeverSelectedNorReported() {
        DropSelector.Selection selection = selector.select(List.of(
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261123-1.csv"),
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261124-1.csv"),
                file("udc_1itzAa15r-UDE_1JIJANUWB-20270101-1.csv")), Map.of(), TODAY);

        assertThat(selection.picks()).isEmpty();
        assertThat(selection.notices()).isEmpty();
    }

    @Test
    void fileOfTheLastDayOfTheLookBackWindowIsSelected() {
        DropSelector.Selection selection = selector.select(List.of(
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261116-1.csv")), Map.of(), TODAY);

        assertThat(names(selection)).containsExactly("udc_1itzAa15r-UDE_1JIJANUWB-20261116-1.csv");
    }

    @Test
    void fileOlderThanTheLookBackWindowIsLeftAloneSilently() {
        DropSelector.Selection selection = selector.select(List.of(
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261115-1.csv")), Map.of(), TODAY);

        assertThat(selection.picks()).isEmpty();
        assertThat(selection.notices()).isEmpty();
    }

    @Test
    void shorterLookBackWindowDropsOlderDays() {
        DropSelector oneDay = new DropSelector(CHANNEL, 1, EVENT_TYPES);

        DropSelector.Selection selection = oneDay.select(List.of(
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261121-1.csv"),
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv")), Map.of(), TODAY);

        assertThat(names(selection)).containsExactly("udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv");
    }

    @Test
    void oneDaysFilesComeInNumericOrderOfTheirSequence() {
        DropSelector.Selection selection = selector.select(List.of(
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261122-10.csv"),
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv"),
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv")), Map.of(), TODAY);

        assertThat(names(selection)).containsExactly(
                "udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv",
                "udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv",
                "udc_1itzAa15r-UDE_1JIJANUWB-20261122-10.csv");
    }

    @Test
    void filesOfSeveralDaysComeInDateOrder() {
        DropSelector.Selection selection = selector.select(List.of(
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv"),
                file("udc_1itzAa15r-UDE_7KQ2LOGIN-20261120-3.csv"),
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261121-2.csv"),
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261120-1.csv")), Map.of(), TODAY);

        assertThat(names(selection)).containsExactly(
                "udc_1itzAa15r-UDE_1JIJANUWB-20261120-1.csv",
                "udc_1itzAa15r-UDE_7KQ2LOGIN-20261120-3.csv",
                "udc_1itzAa15r-UDE_1JIJANUWB-20261121-2.csv",
                "udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv");
    }

    @Test
    void fileInTheLedgerWithTheSameSizeAndTimeIsSkippedSilently() {
        RemoteFile imported = new RemoteFile("udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv", 812, 1_795_400_000L);
        RemoteFile fresh = file("udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv");

        DropSelector.Selection selection = selector.select(List.of(imported, fresh),
                Map.of(imported.name(), new FileLedger.Entry(imported.name(), 812, 1_795_400_000L)), TODAY);

        assertThat(names(selection)).containsExactly("udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv");
        assertThat(selection.notices()).isEmpty();
    }

    @Test
    void fileThatChangedSizeAfterItsImportIsReportedNotImported() {
        RemoteFile changed = new RemoteFile("udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv", 900, 1_795_400_000L);

        DropSelector.Selection selection = selector.select(List.of(changed),
                Map.of(changed.name(), new FileLedger.Entry(changed.name(), 812, 1_795_400_000L)), TODAY);

        assertThat(selection.picks()).isEmpty();
        assertThat(selection.notices()).hasSize(1);
        DropSelector.Notice notice = selection.notices().get(0);
        assertThat(notice.file()).isEqualTo(changed);
        assertThat(notice.reason()).isEqualTo(
                "changed after its import (812 bytes then, 900 now); it is not imported again");
        assertThat(notice.fingerprint()).isEqualTo("900:1795400000");
    }

    @Test
    void fileThatChangedOnlyItsModificationTimeIsReported() {
        RemoteFile touched = new RemoteFile("udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv", 812, 1_795_400_999L);

        DropSelector.Selection selection = selector.select(List.of(touched),
                Map.of(touched.name(), new FileLedger.Entry(touched.name(), 812, 1_795_400_000L)), TODAY);

        assertThat(selection.picks()).isEmpty();
        assertThat(selection.notices()).extracting(DropSelector.Notice::reason)
                .singleElement().asString().startsWith("changed after its import");
    }

    @Test
    void fileWhoseNameDoesNotMatchIsReported() {
        RemoteFile readme = file("readme-not-an-event-file.txt");

        DropSelector.Selection selection = selector.select(List.of(readme), Map.of(), TODAY);

        assertThat(selection.picks()).isEmpty();
        assertThat(selection.notices()).hasSize(1);
        assertThat(selection.notices().get(0).file()).isEqualTo(readme);
        assertThat(selection.notices().get(0).reason())
                .isEqualTo("does not match {channel}-{event_code}-{yyyyMMdd}-{n}.csv; it is left alone");
    }

    @Test
    void fileWithAnImpossibleDateOrSequenceZeroIsReportedAsNotMatching() {
        DropSelector.Selection selection = selector.select(List.of(
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261131-1.csv"),
                file("udc_1itzAa15r-UDE_1JIJANUWB-20261122-0.csv")), Map.of(), TODAY);

        assertThat(selection.picks()).isEmpty();
        assertThat(selection.notices()).extracting(DropSelector.Notice::reason)
                .allSatisfy(reason -> assertThat(reason).startsWith("does not match"))
                .hasSize(2);
    }

    @Test
    void fileOfAnotherChannelIsReported() {
        DropSelector.Selection selection = selector.select(List.of(
                file("udc_other-UDE_1JIJANUWB-20261122-1.csv")), Map.of(), TODAY);

        assertThat(selection.picks()).isEmpty();
        assertThat(selection.notices()).extracting(DropSelector.Notice::reason)
                .containsExactly("belongs to channel udc_other, not udc_1itzAa15r; it is left alone");
    }

    @Test
    void fileWithAnUnknownEventCodeIsReportedWithTheKeyToConfigure() {
        DropSelector.Selection selection = selector.select(List.of(
                file("udc_1itzAa15r-UDE_UNKNOWN-20261122-1.csv")), Map.of(), TODAY);

        assertThat(selection.picks()).isEmpty();
        assertThat(selection.notices()).extracting(DropSelector.Notice::reason).singleElement().asString()
                .contains("UDE_UNKNOWN")
                .contains("relay.event-type.UDE_UNKNOWN.name");
    }

    private static RemoteFile file(String name) {
        return new RemoteFile(name, 100, 1_795_300_000L);
    }

    private static List<String> names(DropSelector.Selection selection) {
        return selection.picks().stream().map(pick -> pick.file().name()).toList();
    }
}
