package dev.eventrelay.delivery;

import dev.eventrelay.settings.PropertyReader;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrivateTargetsTest {

    private static List<String> problems(String url, Map<String, String> more) {
        java.util.Map<String, String> config = new java.util.LinkedHashMap<>(more);
        config.put("relay.hook.partner.destination", "http");
        config.put("relay.hook.partner.http.url", url);
        PropertyReader p = PropertyReader.of(config);
        PrivateTargets.check(p, List.of(HookConfig.read("partner", p)));
        return p.problems();
    }

    @Test
    void loopbackLinkLocalAndPrivateTargetsAreRefusedNamingTheHooksUrl() {
        for (String url : List.of("http://127.0.0.1:9000/events", "http://localhost/events",
                "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/hooks", "http://192.168.0.10/hooks",
                "http://172.20.0.1/hooks", "http://[::1]:8080/hooks", "http://[fd00::1]/hooks",
                "http://0.0.0.0/hooks", "http://100.64.0.1/hooks")) {
            assertThat(problems(url, Map.of())).as(url).singleElement().asString()
                    .contains("relay.hook.partner.http.url").contains(PrivateTargets.KEY);
        }
    }

    @Test
    void publicTargetsPass() {
        assertThat(problems("https://93.184.215.14/hooks", Map.of())).isEmpty();
        assertThat(problems("https://[2606:4700::1111]/hooks", Map.of())).isEmpty();
    }

    @Test
    void theSwitchAllowsPrivateTargets() {
        assertThat(problems("http://127.0.0.1:9000/events", Map.of(PrivateTargets.KEY, "true"))).isEmpty();
    }

    @Test
    void aDisabledHookIsNotChecked() {
        assertThat(problems("http://127.0.0.1:9000/events", Map.of("relay.hook.partner.enabled", "false"))).isEmpty();
    }

    @Test
    void carrierGradeNatIsPrivateButItsNeighboursAreNot() throws Exception {
        assertThat(PrivateTargets.isPrivate(InetAddress.getByName("100.127.255.255"))).isTrue();
        assertThat(PrivateTargets.isPrivate(InetAddress.getByName("100.128.0.1"))).isFalse();
        assertThat(PrivateTargets.isPrivate(InetAddress.getByName("100.63.255.255"))).isFalse();
    }
}
