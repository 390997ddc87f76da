package dev.eventrelay.ingest.file;

import dev.eventrelay.settings.PropertyReader;

import java.nio.file.Path;

/**
 * The embedded SFTP server of the embedded default, read from {@code relay.embedded-sftp.*}: whether it runs,
 * its port on 127.0.0.1, the folder it serves and the folder of its keys.
 */
public record EmbeddedSftpConfig(boolean enabled, int port, Path folder, Path keysFolder) {

    public static final String PREFIX = "relay.embedded-sftp.";

    public static EmbeddedSftpConfig read(PropertyReader p) {
        return new EmbeddedSftpConfig(p.bool(PREFIX + "enabled", false),
                p.integer(PREFIX + "port", 2222, 1, 65535),
                Path.of(p.string(PREFIX + "folder", "data/sftp")),
                Path.of(p.string(PREFIX + "keys-folder", "data/embedded-sftp")));
    }

    public EmbeddedSftpServer server() {
        return new EmbeddedSftpServer(port, folder, keysFolder);
    }

    /** Whether the server makes {@code file} when it starts (the default import's client key and known_hosts). */
    public boolean makes(Path file) {
        if (!enabled) {
            return false;
        }
        EmbeddedSftpServer server = server();
        Path wanted = file.toAbsolutePath().normalize();
        return wanted.equals(server.clientKey().toAbsolutePath().normalize())
                || wanted.equals(server.knownHosts().toAbsolutePath().normalize());
    }
}
