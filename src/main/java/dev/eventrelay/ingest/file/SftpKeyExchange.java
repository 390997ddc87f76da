package dev.eventrelay.ingest.file;

import com.jcraft.jsch.JSch;
import dev.eventrelay.settings.PropertyReader;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SSH key exchange algorithms the SFTP client offers, in order of preference
 * ({@code relay.import.<name>.sftp.key-exchange}). JSch's own default puts the post-quantum hybrids first
 * (mlkem768x25519, sntrup761x25519), which cost about 0.45 s of CPU per connection on a small machine; the default
 * here prefers {@code curve25519-sha256} and keeps the hybrids last, so a server that offers only those still
 * connects.
 *
 * <p>Before every connection JSch checks that the offered algorithms can run by running them
 * ({@code CheckKexes}): for a hybrid that generates a post-quantum key pair, the same 0.45 s of CPU even when
 * curve25519 is then negotiated. {@link #sessionConfig} leaves the hybrids out of that check: they need
 * BouncyCastle's post-quantum classes, which are looked up once per JVM instead (without them the hybrids are not
 * offered at all).
 */
public final class SftpKeyExchange {

    /** The default preference: curve25519 first, then JSch's other classical algorithms, the hybrids last. */
    public static final List<String> DEFAULT = List.of("curve25519-sha256", "curve25519-sha256@libssh.org",
            "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256",
            "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256",
            "mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com");

    /** The post-quantum hybrids: JSch's availability check of one of these costs a key pair per connection. */
    static final List<String> HYBRIDS = List.of("mlkem768x25519-sha256", "mlkem768nistp256-sha256",
            "mlkem1024nistp384-sha384", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com");

    private static final boolean HYBRIDS_AVAILABLE = present("org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeKeyPairGenerator")
            && present("org.bouncycastle.pqc.crypto.mlkem.MLKEMKeyPairGenerator");

    /** The JSch session settings for the {@code offered} algorithms (as {@link #read} returns them). */
    public record SessionConfig(String kex, String checkKexes) {
    }

    private SftpKeyExchange() {
    }

    /**
     * The {@code kex} and {@code CheckKexes} settings of a session offering {@code offered}: the hybrids are offered
     * only where their classes are present, and checked by JSch never (their check generates a key pair).
     */
    public static SessionConfig sessionConfig(String offered) {
        List<String> names = Arrays.stream(offered.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
        List<String> kex = HYBRIDS_AVAILABLE ? names : names.stream().filter(n -> !HYBRIDS.contains(n)).toList();
        // only the names JSch itself checks: the check of others (group exchange) would start the key exchange
        List<String> jschChecks = Arrays.asList(JSch.getConfig("CheckKexes").split(","));
        String check = kex.stream().filter(n -> jschChecks.contains(n) && !HYBRIDS.contains(n))
                .collect(Collectors.joining(","));
        return new SessionConfig(String.join(",", kex.isEmpty() ? names : kex), check);
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, SftpKeyExchange.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
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
