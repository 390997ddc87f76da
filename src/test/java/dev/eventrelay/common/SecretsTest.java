package dev.eventrelay.common;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which configuration values are secrets, and how they are masked. */
class SecretsTest {

    @Test
    void valuesOfPasswordPassphraseSecretAndTokenKeysAreMasked() {
        Map<String, String> config = Map.of(
                "relay.import.a.sftp.password", "pw-1-secret-test",
                "relay.import.a.sftp.private-key-passphrase", "pp-2-secret-test",
                "relay.hook.h.http.secret", "hs-3-secret-test",
                "relay.api.token", "tk-4-secret-test",
                "relay.import.a.sftp.user", "partner-user-name");
        Secrets.remember(config.keySet(), config::get);

        assertThat(Secrets.mask("login pw-1-secret-test, key pp-2-secret-test, hs-3-secret-test tk-4-secret-test"))
                .isEqualTo("login ******, key ******, ****** ******");
        assertThat(Secrets.mask("user partner-user-name")).isEqualTo("user partner-user-name");
    }

    @Test
    void aPasswordInsideAJdbcUrlIsMaskedWhereverItShows() {
        Map<String, String> config = Map.of("relay.sync.w.jdbc.url",
                "jdbc:postgresql://db:5432/w?user=r&password=url-5-secret-test&ssl=true");
        Secrets.remember(config.keySet(), config::get);

        assertThat(Secrets.mask("cannot open jdbc:postgresql://db:5432/w?user=r&password=url-5-secret-test&ssl=true"))
                .isEqualTo("cannot open jdbc:postgresql://db:5432/w?user=r&password=******&ssl=true");
    }

    @Test
    void shortAndUnsetValuesAreLeftAlone() {
        Map<String, String> config = new java.util.HashMap<>();
        config.put("relay.rabbitmq.default.password", "guest");
        config.put("relay.store.password", "");
        config.put("relay.hook.x.http.secret", null);
        Secrets.remember(config.keySet(), config::get);

        assertThat(Secrets.mask("guest logged in")).isEqualTo("guest logged in");
        assertThat(Secrets.mask(null)).isNull();
        assertThat(List.of(Secrets.mask(""))).containsExactly("");
    }
}
