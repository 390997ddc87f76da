package dev.eventrelay.ingest.file;

import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.support.Slow;
import dev.eventrelay.support.TestSftpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The SFTP client's key exchange against a real SSHD server that offers curve25519 and the post-quantum hybrids. */
@Slow
class SftpKeyExchangeTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultNegotiatesCurve25519AndAConfiguredPreferenceWins() throws Exception {
        try (TestSftpServer server = new TestSftpServer(dir)) {
            connect(server, SftpKeyExchange.read(PropertyReader.of(Map.of()), "relay.import.x.sftp.key-exchange"));
            connect(server, SftpKeyExchange.read(PropertyReader.of(Map.of("relay.import.x.sftp.key-exchange",
                    "ecdh-sha2-nistp256, curve25519-sha256")), "relay.import.x.sftp.key-exchange"));

            assertThat(server.negotiatedKeyExchanges()).containsExactly("curve25519-sha256", "ecdh-sha2-nistp256");
        }
    }

    @Test
    void aPreferredHybridIsStillNegotiatedThoughJSchNoLongerChecksItPerConnection() throws Exception {
        try (TestSftpServer server = new TestSftpServer(dir)) {
            connect(server, "sntrup761x25519-sha512,curve25519-sha256");

            assertThat(server.negotiatedKeyExchanges()).containsExactly("sntrup761x25519-sha512");
        }
    }

    @Test
    void theHybridsAreOfferedButLeftOutOfJSchsPerConnectionCheck() {
        SftpKeyExchange.SessionConfig config = SftpKeyExchange.sessionConfig(String.join(",", SftpKeyExchange.DEFAULT));

        assertThat(config.kex().split(",")).containsExactlyElementsOf(SftpKeyExchange.DEFAULT);
        assertThat(config.checkKexes().split(",")).contains("curve25519-sha256")
                .doesNotContainAnyElementsOf(SftpKeyExchange.HYBRIDS);
    }

    @Test
    void anUnknownAlgorithmIsAProblemNamingTheKey() {
        PropertyReader p = PropertyReader.of(Map.of("relay.import.x.sftp.key-exchange", "curve25519-sha256,rot13"));
        SftpKeyExchange.read(p, "relay.import.x.sftp.key-exchange");

        assertThat(p.problems()).singleElement().asString()
                .contains("relay.import.x.sftp.key-exchange").contains("'rot13'");
    }

    private static void connect(TestSftpServer server, String keyExchange) throws Exception {
        SftpImportConfig.SftpServerConfig config = new SftpImportConfig.SftpServerConfig("127.0.0.1", server.port(),
                TestSftpServer.USER, null, server.clientKey("ed25519"), null, server.knownHosts(), true, 10_000,
                keyExchange);
        try (SftpSite site = SftpSite.open(config, "/")) {
            assertThat(site).isNotNull();
        }
    }
}
