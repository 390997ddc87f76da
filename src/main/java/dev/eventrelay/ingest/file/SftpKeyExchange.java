package dev.eventrelay.ingest.file;

import com.jcraft.jsch.JSch;
import dev.eventrelay.settings.PropertyReader;

import java.util.List;

/**
 * The SSH key exchange algorithms the SFTP client offers, in order of preference
 * ({@code relay.import.<name>.sftp.key-exchange}). JSch's own default puts the post-quantum hybrids first
 * (mlkem768x25519, sntrup761x25519), which cost about 0.45 s of CPU per connection on a small machine; the default
 * here prefers {@code curve25519-sha256} and keeps the hybrids last, so a server that offers only those still
 * connects.
 */
public final class SftpKeyExchange {

    /** The default preference: curve25519 first, then JSch's other classical algorithms, the hybrids last. */
    public static final List<String> DEFAULT = List.of("curve25519-sha256", "curve25519-sha256@libssh.org",
            "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256",
            "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256",
            "mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com");

    private SftpKeyExchange() {
    }

    /** Reads {@code key} (comma-separated names); an unknown name is a problem that names the key. */
    public static String read(PropertyReader p, String key) {
        List<String> names = p.list(key);
        if (names.isEmpty()) {
            return String.join(",", DEFAULT);
        }
        for (String name : names) {
            if (JSch.getConfig(name) == null) {
                p.problem(key, "names the key exchange '" + name + "', which the SFTP client (JSch) does not know;"
                        + " use names such as " + String.join(", ", DEFAULT.subList(0, 3)));
            }
        }
        return String.join(",", names);
    }
}
