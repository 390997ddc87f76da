package dev.eventrelay.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the flow tests share: a test SFTP server as the shipped {@code default} import, the shipped file hook
 * writing to {@code outbox/} under the test's folder, and a fresh state store of the subclass's kind. A test adds
 * its keys to {@link #config} and starts {@link #relay} itself; both are stopped after it.
 */
@Slow
public abstract class RelayFlowTest {

    protected static final String CHANNEL = "udc_1itzAa15r";

    @TempDir
    protected Path dir;
    protected TestSftpServer sftp;
    protected RelayUnderTest relay;
    protected Map<String, String> config;

    /** The JDBC URL of a fresh, empty state store; may add the store's user and password to {@link #config}. */
    protected abstract String newStoreUrl() throws Exception;

    @BeforeEach
    void startSftpServerAndConfigure() throws Exception {
        sftp = new TestSftpServer(dir.resolve("sftp"));
        config = new LinkedHashMap<>();
        config.put("relay.store.url", newStoreUrl());
        config.put("relay.hook.all-events.file.folder", dir.resolve("outbox").toString());
        config.putAll(sftp.importConfig("default", CHANNEL, "ed25519"));
    }

    @AfterEach
    void stopRelayAndSftpServer() throws Exception {
        if (relay != null) {
            relay.close();
        }
        sftp.close();
    }
}
