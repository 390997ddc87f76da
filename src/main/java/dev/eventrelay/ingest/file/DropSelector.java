package dev.eventrelay.ingest.file;

import dev.eventrelay.mapping.EventTypes;
import dev.eventrelay.state.FileLedger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chooses the files a run imports: files of yesterday, plus files of earlier days in the look-back
 * window that were never imported; never today's or later; one day's files in numeric order of n.
 * Everything else it leaves alone, and says why when ops should hear of it.
 */
public final class DropSelector {

    /** A file chosen for import, with its parsed name. */
    public record Pick(RemoteFile file, DropFileName name) {
    }

    /** A file left alone that ops should hear of once: {@code fingerprint} tells when it is new again. */
    public record Notice(RemoteFile file, String fingerprint, String reason) {
    }

    /** The result: files to import in order, and files to report. */
    public record Selection(List<Pick> picks, List<Notice> notices) {
    }

    private final String channel;
    private final int lookBackDays;
    private final EventTypes eventTypes;

    public DropSelector(String channel, int lookBackDays, EventTypes eventTypes) {
        this.channel = channel;
        this.lookBackDays = lookBackDays;
        this.eventTypes = eventTypes;
    }

    public Selection select(List<RemoteFile> listing, Map<String, FileLedger.Entry> ledger, LocalDate today) {
        LocalDate oldest = today.minusDays(lookBackDays);
        List<Pick> picks = new ArrayList<>();
        List<Notice> notices = new ArrayList<>();
        for (RemoteFile file : listing) {
            FileLedger.Entry imported = ledger.get(file.name());
            if (imported != null) {
                if (imported.sizeBytes() != file.sizeBytes() || imported.modifiedAt() != file.modifiedAt()) {
                    notices.add(new Notice(file, file.sizeBytes() + ":" + file.modifiedAt(), "changed after its import ("
                            + imported.sizeBytes() + " bytes then, " + file.sizeBytes() + " now); it is not imported again"));
                }
                continue;
            }
            DropFileName name = DropFileName.parse(file.name()).orElse(null);
            if (name == null) {
                notices.add(new Notice(file, "name", "does not match " + DropFileName.FORM_TEXT + "; it is left alone"));
            } else if (!name.channel().equals(channel)) {
                notices.add(new Notice(file, "channel", "belongs to channel " + DropFileName.printable(name.channel())
                        + ", not " + channel
                        + "; it is left alone"));
            } else if (eventTypes.byCode(name.eventCode()).isEmpty()) {
                notices.add(new Notice(file, "event-code", "has event code " + DropFileName.printable(name.eventCode())
                        + ", which no event type has (configure relay.event-type."
                        + DropFileName.printable(name.eventCode())
                        + ".name); it is left alone"));
            } else if (!name.date().isBefore(today) || name.date().isBefore(oldest)) {
                continue;
            } else {
                picks.add(new Pick(file, name));
            }
        }
        picks.sort((a, b) -> DropFileName.ORDER.compare(a.name(), b.name()));
        return new Selection(picks, notices);
    }
}
