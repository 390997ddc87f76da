package dev.eventrelay.ingest.file;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;

/**
 * The SFTP server of the embedded default: Apache SSHD on the loopback interface, serving one
 * folder to one user who logs in with a key. On first start it makes its host key, a client key
 * pair and a known_hosts line in its keys folder, so the default import reaches it exactly as it
 * would reach a partner's server: key auth, host key checked.
 */
public final class EmbeddedSftpServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSftpServer.class);

    private final int port;
    private final Path root;
    private final Path keys;
    private SshServer server;

    public EmbeddedSftpServer(int port, Path root, Path keys) {
        this.port = port;
        this.root = root;
        this.keys = keys;
    }

    public Path clientKey() {
        return keys.resolve("client_key");
    }

    public Path knownHosts() {
        return keys.resolve("known_hosts");
    }

    /** Makes the folders, the keys and known_hosts if they are not there yet. */
    public void prepare() throws IOException, GeneralSecurityException {
        Files.createDirectories(root);
        Files.createDirectories(keys);
        if (!Files.exists(clientKey())) {
            KeyPair client = ecKeyPair();
            try (OutputStream out = Files.newOutputStream(clientKey())) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "event-relay", null, out);
            }
            Files.writeString(keys.resolve("authorized_keys"), PublicKeyEntry.toString(client.getPublic()) + "\n");
        }
        KeyPair host = hostKeys().loadKeys(null).iterator().next();
        Files.writeString(knownHosts(), "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(host.getPublic()) + "\n",
                StandardCharsets.UTF_8);
    }

    @Override
    protected void doStart() throws Exception {
        prepare();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        server.setKeyPairProvider(hostKeys());
        server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(keys.resolve("authorized_keys")));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root.toAbsolutePath()));
        server.start();
        LOG.info("Embedded SFTP server on 127.0.0.1:{} serves {}", port, root);
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.stop(true);
        }
    }

    private SimpleGeneratorHostKeyProvider hostKeys() {
        SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(keys.resolve("host_key"));
        provider.setAlgorithm("EC");
        provider.setKeySize(256);
        return provider;
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
