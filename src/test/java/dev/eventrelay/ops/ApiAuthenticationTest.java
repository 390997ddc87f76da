package dev.eventrelay.ops;

import dev.eventrelay.settings.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which addresses need a token, and which Authorization headers carry it. */
class ApiAuthenticationTest {

    @Test
    void loopbackAddressesNeedNoToken() {
        for (String host : new String[] {"127.0.0.1", "localhost", "::1", "127.0.0.2"}) {
            assertThat(ApiAuthentication.check(host, null).enabled()).as(host).isFalse();
            assertThat(ApiAuthentication.check(host, " ").enabled()).as(host).isFalse();
        }
    }

    @Test
    void anyOtherAddressWithoutATokenIsRefusedNamingBothKeys() {
        for (String host : new String[] {"0.0.0.0", "::", "192.168.1.20", "10.0.0.1"}) {
            assertThatThrownBy(() -> ApiAuthentication.check(host, "")).as(host)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("camel.server.host is '" + host + "'")
                    .hasMessageContaining("relay.api.token");
        }
    }

    @Test
    void anUnsetHostIsTheServersDefaultOfEveryAddress() {
        assertThatThrownBy(() -> ApiAuthentication.check(null, null)).hasMessageContaining("'0.0.0.0'");
    }

    @Test
    void anyAddressWithATokenIsAccepted() {
        assertThat(ApiAuthentication.check("0.0.0.0", "t0ken").enabled()).isTrue();
    }

    @Test
    void onlyTheBearerSchemeWithTheExactTokenIsAccepted() {
        ApiAuthentication auth = ApiAuthentication.check("127.0.0.1", "t0ken");

        assertThat(auth.accepts("Bearer t0ken")).isTrue();
        assertThat(auth.accepts("bearer t0ken")).isTrue();
        assertThat(auth.accepts("Bearer  t0ken ")).isTrue();
        assertThat(auth.accepts(null)).isFalse();
        assertThat(auth.accepts("")).isFalse();
        assertThat(auth.accepts("Bearer")).isFalse();
        assertThat(auth.accepts("Bearer ")).isFalse();
        assertThat(auth.accepts("Bearer t0ke")).isFalse();
        assertThat(auth.accepts("Bearer t0ken2")).isFalse();
        assertThat(auth.accepts("Basic t0ken")).isFalse();
        assertThat(auth.accepts("t0ken")).isFalse();
    }

    @Test
    void withoutATokenEveryRequestIsAccepted() {
        assertThat(ApiAuthentication.check("127.0.0.1", null).accepts(null)).isTrue();
    }
}
