package dev.eventrelay.state;

import dev.eventrelay.support.RelayProcess;
import dev.eventrelay.support.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two instances of the real jar on one embedded store file: the second is refused at start with a message naming
 * the key, the file and the pid of the instance that holds it, and the first goes on serving. Once the first is
 * killed (SIGKILL: the operating system drops its lock), the second starts on the same file.
 */
@Slow
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class EmbeddedStoreInUseIT {

    @TempDir
    Path dir;

    @Test
    void aSecondInstanceIsRefusedTheEmbeddedStoreWhileTheFirstHoldsIt() throws Exception {
        Map<String, String> config = RelayProcess.embeddedDefault(dir);
        Map<String, String> second = RelayProcess.embeddedDefault(Files.createDirectories(dir.resolve("second")));
        second.put("relay.store.url", config.get("relay.store.url"));
        try (RelayProcess first = new RelayProcess("store-first", dir, config).start();
             RelayProcess other = new RelayProcess("store-second", dir.resolve("second"), second)) {

            assertThatThrownBy(other::start).hasMessageContaining("exited with 1 at start");
            assertThat(Files.readString(other.log()))
                    .contains("relay.store.url: the embedded store ")
                    .contains("is in use by another Event Relay instance (pid " + first.pid() + ", since ");
            assertThat(first.isAlive()).isTrue();
            assertThat(first.get("/health").statusCode()).isIn(200, 503);

            first.kill();
            other.start();
            assertThat(other.get("/health").statusCode()).isIn(200, 503);
        }
    }
}
