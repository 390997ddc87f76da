package dev.eventrelay.ingest.file;

import dev.eventrelay.common.Secrets;
import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.model.Event;
import dev.eventrelay.settings.CronSchedules;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One SFTP import, read from {@code relay.import.<name>.*}: where its files are, how to reach the
 * server, when it runs, how its CSV is read, and what happens to a file after its import.
 */
public record SftpImportConfig(String name, boolean enabled, String channel, String schedule, ZoneId zone,
                               int lookBackDays, SftpServerConfig server, String folder, char delimiter,
                               List<String> requiredColumns, String productIdDelimiter, Map<String, String> utm,
                               AfterImport afterImport, String moveTo) {

    public static final String PREFIX = "relay.import.";
    public static final String DEFAULT_SCHEDULE = "0 0 2 * * ?";
    /** The schedule of a one-time import: it runs once when the service starts, until a run ends Processed. */
    public static final String ONCE = "once";
    /** The columns an SFTP file must have unless {@code csv.required-columns} says otherwise. */
    public static final List<String> DEFAULT_REQUIRED_COLUMNS = List.of("externalId", "eventDate");
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+]|[0-9A-Fa-f:]+");

    /** What happens to a file once it is imported (or rejected). */
    public enum AfterImport { LEAVE, MOVE, DELETE }

    /** How to reach and trust the SFTP server. Secrets come from the environment through placeholders. */
    public record SftpServerConfig(String host, int port, String user, String password, Path privateKeyFile,
                                   String privateKeyPassphrase, Path knownHostsFile, boolean strictHostKeyChecking,
                                   int connectTimeoutMs, String keyExchange) {

        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }

    public static SftpImportConfig read(String name, PropertyReader p) {
        return read(name, p, file -> false);
    }

    /**
     * Reads and checks {@code relay.import.<name>.*}, adding every problem to {@code p}.
     *
     * @param madeAtStart whether a key file is one that start-up makes (the embedded SFTP server's), so it
     *                    need not exist yet
     */
    public static SftpImportConfig read(String name, PropertyReader p, Predicate<Path> madeAtStart) {
        String prefix = PREFIX + name + ".";
        if (!NAME.matcher(name).matches()) {
            p.problem(prefix + "*", "names an import '" + name + "'; use lower-case letters, digits and '-'");
        }
        String channel = p.required(prefix + "channel", "the channel id that starts this import's file names");
        if (channel != null && channel.contains("-")) {
            p.problem(prefix + "channel", "'" + channel + "' contains '-', which separates the parts of a file name");
        }
        String schedule = p.string(prefix + "schedule", DEFAULT_SCHEDULE);
        if (!ONCE.equals(schedule)) {
            CronSchedules.check(p, prefix + "schedule", schedule, DEFAULT_SCHEDULE + ", or " + ONCE
                    + " for a one-time import");
        }
        ZoneId zone = zone(p, prefix + "time-zone");
        int lookBack = p.integer(prefix + "look-back.days", 7, 1, 366);
        Path privateKey = path(p.string(prefix + "sftp.private-key-file", null));
        String password = p.string(prefix + "sftp.password", null);
        if (privateKey == null && password == null) {
            p.problem(prefix + "sftp.private-key-file", "or " + prefix + "sftp.password is required");
        }
        String passphrase = p.string(prefix + "sftp.private-key-passphrase", null);
        if (privateKey != null && !madeAtStart.test(privateKey)) {
            SftpKeyFiles.checkPrivateKey(p, prefix + "sftp.private-key-file", privateKey, passphrase,
                    prefix + "sftp.private-key-passphrase");
        }
        boolean strict = p.bool(prefix + "sftp.strict-host-key-checking", true);
        Path knownHosts = path(p.string(prefix + "sftp.known-hosts-file",
                Path.of(System.getProperty("user.home"), ".ssh", "known_hosts").toString()));
        if (strict && !madeAtStart.test(knownHosts)) {
            SftpKeyFiles.checkKnownHosts(p, prefix + "sftp.known-hosts-file", knownHosts,
                    prefix + "sftp.strict-host-key-checking");
        }
        String host = p.required(prefix + "sftp.host", "the SFTP server's host name");
        if (host != null && !HOST.matcher(host).matches()) {
            p.problem(prefix + "sftp.host", "'" + host + "' is not a host name or address; write it without"
                    + " scheme, user, port or path, e.g. sftp.partner.example");
        }
        SftpServerConfig server = new SftpServerConfig(host,
                p.integer(prefix + "sftp.port", 22, 1, 65535),
                p.required(prefix + "sftp.user", "the user to log in as"),
                password, privateKey, passphrase, knownHosts, strict,
                p.integer(prefix + "sftp.connect-timeout.ms", 10_000, 100, 600_000),
                SftpKeyExchange.read(p, prefix + "sftp.key-exchange"));
        AfterImport after = afterImport(p, prefix + "after-import");
        String moveTo = p.string(prefix + "after-import.folder", null);
        if (after == AfterImport.MOVE && moveTo == null) {
            p.problem(prefix + "after-import.folder", "is required when after-import is move");
        }
        Map<String, String> utm = utm(p, prefix);
        List<String> required = p.list(prefix + "csv.required-columns");
        return new SftpImportConfig(name, p.bool(prefix + "enabled", true), channel, schedule, zone, lookBack, server,
                p.string(prefix + "sftp.folder", "."), delimiter(p, prefix + "csv.delimiter"),
                required.isEmpty() ? DEFAULT_REQUIRED_COLUMNS : required,
                p.string(prefix + "csv.product-id-delimiter", "|"), utm, after, moveTo);
    }

    /** The import's UTM values ({@code <prefix>utm.source} …), by key; keys not set are left out. */
    public static Map<String, String> utm(PropertyReader p, String prefix) {
        Map<String, String> utm = new LinkedHashMap<>();
        for (String key : Event.UTM_KEYS) {
            String value = p.string(prefix + "utm." + key, null);
            if (value != null) {
                utm.put(key, value);
            }
        }
        return utm;
    }

    /** Whether this is a one-time import ({@code schedule = once}). */
    public boolean once() {
        return ONCE.equals(schedule);
    }

    public static ZoneId zone(PropertyReader p, String key) {
        String value = p.string(key, "UTC");
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            p.problem(key, "'" + value + "' is not a time zone; use a region such as Europe/Berlin, or UTC");
            return ZoneOffset.UTC;
        }
    }

    public static char delimiter(PropertyReader p, String key) {
        String value = p.string(key, ",");
        if (value.equalsIgnoreCase("tab") || value.equals("\\t")) {
            return '\t';
        }
        if (value.length() != 1 || value.charAt(0) == '"') {
            p.problem(key, "'" + value + "' is not a single delimiter character (or tab)");
            return ',';
        }
        return value.charAt(0);
    }

    private static AfterImport afterImport(PropertyReader p, String key) {
        String value = p.string(key, "leave");
        try {
            return AfterImport.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            p.problem(key, "'" + value + "' is not leave, move or delete");
            return AfterImport.LEAVE;
        }
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }
}
