package dev.eventrelay.support;

import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real SFTP server in the test JVM (Apache SSHD on 127.0.0.1): key authentication against an
 * authorized_keys file, a host key made by ssh-keygen, and a known_hosts file for clients. It can
 * be stopped and started again on the same port, to play a server that is down for a while.
 */
public final class TestSftpServer implements AutoCloseable {

    public static final String USER = "partner";

    private final Path dir;
    private final Path root;
    private SshServer server;
    private int port;
    private String password;
    private final List<String> keyExchanges = new java.util.concurrent.CopyOnWriteArrayList<>();

    public TestSftpServer(Path dir) throws IOException, InterruptedException {
        FastRun.refuse("an SFTP server (TestSftpServer)");
        this.dir = dir;
        this.root = Files.createDirectories(dir.resolve("root"));
        SshKeys.generate("ecdsa", dir.resolve("host_key"));
        Files.deleteIfExists(dir.resolve("authorized_keys"));
        Files.createFile(dir.resolve("authorized_keys"));
        start();
    }

    /** Makes a client key of {@code type} (ed25519, ecdsa, rsa) that this server accepts, and returns its file. */
    public Path clientKey(String type) throws IOException, InterruptedException {
        Path key = dir.resolve("client_" + type);
        if (!Files.exists(key)) {
            SshKeys.generate(type, key);
            Files.writeString(dir.resolve("authorized_keys"), Files.readString(Path.of(key + ".pub")),
                    java.nio.file.StandardOpenOption.APPEND);
        }
        return key;
    }

    /** A known_hosts file that holds this server's host key. */
    public Path knownHosts() throws IOException {
        Path file = dir.resolve("known_hosts");
        KeyPair host = new FileKeyPairProvider(dir.resolve("host_key")).loadKeys(null).iterator().next();
        Files.writeString(file, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(host.getPublic()) + "\n");
        return file;
    }

    /** The properties of an import {@code name} that reads this server's root with a key of {@code keyType}. */
    public Map<String, String> importConfig(String name, String channel, String keyType)
            throws IOException, InterruptedException {
        String prefix = "relay.import." + name + ".";
        return Map.of(
                prefix + "channel", channel,
                prefix + "sftp.host", "127.0.0.1",
                prefix + "sftp.port", String.valueOf(port),
                prefix + "sftp.user", USER,
                prefix + "sftp.private-key-file", clientKey(keyType).toString(),
                prefix + "sftp.known-hosts-file", knownHosts().toString(),
                prefix + "sftp.folder", "/");
    }

    public void start() throws IOException {
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        server.setKeyPairProvider(new FileKeyPairProvider(dir.resolve("host_key")));
        server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(dir.resolve("authorized_keys")));
        String accepted = password;
        server.setPasswordAuthenticator(accepted == null ? null
                : (user, given, session) -> USER.equals(user) && accepted.equals(given));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionNegotiationEnd(Session session, Map<KexProposalOption, String> client,
                                              Map<KexProposalOption, String> server,
                                              Map<KexProposalOption, String> negotiated, Throwable reason) {
                if (reason == null && negotiated != null) {
                    keyExchanges.add(negotiated.get(KexProposalOption.ALGORITHMS));
                }
            }
        });
        server.start();
        port = server.getPort();
    }

    /** From now on also accepts {@link #USER} with {@code password} (across a stop and start). */
    public void acceptPassword(String password) throws IOException {
        this.password = password;
        stop();
        start();
    }

    public void stop() throws IOException {
        server.stop(true);
    }

    /** The key exchange algorithm negotiated by each session so far, in order. */
    public List<String> negotiatedKeyExchanges() {
        return List.copyOf(keyExchanges);
    }

    public int port() {
        return port;
    }

    public Path root() {
        return root;
    }

    /** Puts {@code content} on the server as {@code name}, with a fixed modification time. */
    public Path put(String name, byte[] content) throws IOException {
        Path file = root.resolve(name);
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        return file;
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** Key pairs made by ssh-keygen, as partners make them. */
    public static final class SshKeys {
        private SshKeys() {
        }

        /** Makes a new key pair in {@code file} and {@code file.pub}, replacing any that are there. */
        public static void generate(String type, Path file) throws IOException, InterruptedException {
            Files.deleteIfExists(file);
            Files.deleteIfExists(Path.of(file + ".pub"));
            Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "test", "-f",
                    file.toString()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
                throw new IOException("ssh-keygen -t " + type + " failed: " + new String(keygen.getInputStream().readAllBytes()));
            }
        }
    }
}
