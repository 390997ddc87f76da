package dev.eventrelay.ingest.file;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import dev.eventrelay.settings.PropertyReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an import's key files before any connection, so a wrong path or a wrong file stops start-up
 * instead of failing every run: the private key is a file that the SFTP client (JSch) reads as a private
 * key and opens with the configured passphrase; known_hosts is a readable file.
 */
final class SftpKeyFiles {

    private SftpKeyFiles() {
    }

    static void checkPrivateKey(PropertyReader p, String key, Path file, String passphrase, String passphraseKey) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            p.problem(key, "'" + file + "' cannot be read");
            return;
        }
        KeyPair pair;
        try {
            pair = KeyPair.load(new JSch(), Files.readAllBytes(file), null);
        } catch (IOException | JSchException | RuntimeException e) {
            p.problem(key, "'" + file + "' is not a private key the SFTP client can read (" + e.getMessage() + ");"
                    + " use an ed25519, ecdsa or rsa key in OpenSSH or PEM format, e.g. from ssh-keygen -t ed25519");
            return;
        }
        try {
            if (pair.isEncrypted() && passphrase == null) {
                p.problem(passphraseKey, "is required: '" + file + "' is encrypted; set its passphrase (from the"
                        + " environment, e.g. {{env:SFTP_KEY_PASSPHRASE}})");
            } else if (pair.isEncrypted() && !pair.decrypt(passphrase)) {
                p.problem(passphraseKey, "does not open '" + file + "'; set the key's passphrase");
            }
        } finally {
            pair.dispose();
        }
    }

    static void checkKnownHosts(PropertyReader p, String key, Path file, String strictKey) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            p.problem(key, "'" + file + "' cannot be read; host keys are checked against it (turn checking off with "
                    + strictKey + "=false)");
        }
    }
}
