package dev.eventrelay.ingest.upload;

import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.ingest.file.SftpImportConfig;
import dev.eventrelay.mapping.MappingSettings;
import dev.eventrelay.model.EventType;

import java.time.ZoneId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How uploads to one import are read. Every SFTP import accepts uploads with its own CSV settings (the
 * event type then comes from the {@code event_code} parameter); an import with
 * {@code relay.import.<name>.source = upload} exists only for uploads: no server, no schedule, no
 * required columns unless configured, the import time where a row has no event date, and optionally a
 * column that names each row's event type ({@code csv.event-type-column}).
 */
public record UploadImportConfig(String name, String source, boolean enabled, String channel, ZoneId zone,
                                 char delimiter, List<String> requiredColumns, boolean eventDateRequired,
                                 String productIdDelimiter, Map<String, String> utm, String eventTypeColumn) {

    public static final String SOURCE_SFTP = "sftp";
    public static final String SOURCE_UPLOAD = "upload";

    /** Keys of an SFTP import that mean nothing to an upload import. */
    private static final List<String> SFTP_ONLY = List.of("sftp.", "schedule", "look-back.", "after-import");

    /** Whether {@code relay.import.<name>.source} says the import takes uploads only. */
    public static boolean isUploadOnly(String name, PropertyReader p) {
        String key = SftpImportConfig.PREFIX + name + ".source";
        String source = p.string(key, SOURCE_SFTP);
        if (!source.equals(SOURCE_SFTP) && !source.equals(SOURCE_UPLOAD)) {
            p.problem(key, "'" + source + "' is not " + SOURCE_SFTP + " or " + SOURCE_UPLOAD);
        }
        return source.equals(SOURCE_UPLOAD);
    }

    /** Reads an upload import ({@code source = upload}); problems name their key. */
    public static UploadImportConfig read(String name, PropertyReader p) {
        String prefix = SftpImportConfig.PREFIX + name + ".";
        if (!SftpImportConfig.NAME.matcher(name).matches()) {
            p.problem(prefix + "*", "names an import '" + name + "'; use lower-case letters, digits and '-'");
        }
        for (String key : p.middles(prefix, "")) {
            if (SFTP_ONLY.stream().anyMatch(key::startsWith)) {
                p.problem(prefix + key, "does not apply to an import with source = upload; remove it");
            }
        }
        String typeColumn = p.string(prefix + "csv.event-type-column", null);
        return new UploadImportConfig(name, SOURCE_UPLOAD, p.bool(prefix + "enabled", true),
                p.string(prefix + "channel", null), SftpImportConfig.zone(p, prefix + "time-zone"),
                SftpImportConfig.delimiter(p, prefix + "csv.delimiter"), p.list(prefix + "csv.required-columns"),
                p.bool(prefix + "csv.event-date-required", false), p.string(prefix + "csv.product-id-delimiter", "|"),
                SftpImportConfig.utm(p, prefix), typeColumn);
    }

    /** Uploads to an SFTP import: its CSV settings, its channel, dates required, the event type from the event code. */
    public static UploadImportConfig of(SftpImportConfig sftp) {
        return new UploadImportConfig(sftp.name(), SOURCE_SFTP, sftp.enabled(), sftp.channel(), sftp.zone(),
                sftp.delimiter(), sftp.requiredColumns(), true, sftp.productIdDelimiter(), sftp.utm(), null);
    }

    /** Every import that accepts uploads: the SFTP imports, then those that take uploads only. */
    public static Map<String, UploadImportConfig> all(Collection<SftpImportConfig> sftp,
                                                      Map<String, UploadImportConfig> uploadOnly) {
        Map<String, UploadImportConfig> all = new LinkedHashMap<>();
        sftp.forEach(config -> all.put(config.name(), of(config)));
        all.putAll(uploadOnly);
        return all;
    }

    /** How the rows of an upload become events; {@code eventType} null when a column names it per row. */
    public MappingSettings mapping(EventType eventType) {
        return new MappingSettings("upload", name, channel, eventType, zone, requiredColumns, eventDateRequired,
                productIdDelimiter, utm, eventTypeColumn);
    }

    /** Whether an upload without an event code can take each row's event type from a column. */
    public boolean hasEventTypeColumn() {
        return eventTypeColumn != null;
    }
}
