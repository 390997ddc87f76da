package dev.eventrelay.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The durability rules of store URLs, and the settings the store adds to a SQLite URL. */
class StoreUrlsTest {

    private static final String KEY = "relay.store.url";

    @TempDir
    Path dir;

    @Test
    void theShippedUrlIsDurableAndKeptAsItIs() {
        assertThat(problems(StoreUrls.DEFAULT)).isEmpty();
        assertThat(StoreUrls.effective(StoreUrls.DEFAULT)).startsWith(StoreUrls.DEFAULT)
                .contains("transaction_mode=IMMEDIATE", "foreign_keys=true")
                .doesNotContain("synchronous=FULL&synchronous", "busy_timeout=60000&busy_timeout");
    }

    @Test
    void aBareSqliteFileGetsEverySettingOfTheStore() {
        assertThat(StoreUrls.effective("jdbc:sqlite:/var/relay/state.db")).isEqualTo("jdbc:sqlite:/var/relay/state.db"
                + "?journal_mode=WAL&synchronous=FULL&busy_timeout=60000&transaction_mode=IMMEDIATE&foreign_keys=true");
        assertThat(problems("jdbc:sqlite:/var/relay/state.db")).isEmpty();
    }

    @Test
    void whatTheUserSetIsKept() {
        String url = "jdbc:sqlite:state.db?busy_timeout=5000&synchronous=EXTRA&journal_mode=DELETE";
        assertThat(StoreUrls.effective(url)).isEqualTo(url + "&transaction_mode=IMMEDIATE&foreign_keys=true");
        assertThat(problems(url)).isEmpty();
    }

    @Test
    void settingsThatLoseCommitsAreRefusedNamingTheKey() {
        assertThat(problems("jdbc:sqlite:state.db?synchronous=NORMAL")).singleElement().asString()
                .startsWith(KEY).contains("synchronous=NORMAL", "write synchronous=FULL");
        assertThat(problems("jdbc:sqlite:state.db?synchronous=0")).singleElement().asString().contains("synchronous=0");
        assertThat(problems("jdbc:sqlite:state.db?journal_mode=OFF")).singleElement().asString()
                .contains("journal_mode=OFF", "write journal_mode=WAL");
        assertThat(problems("jdbc:sqlite::memory:")).singleElement().asString().contains("must be a file");
        assertThat(problems("jdbc:h2:file:./data/state/relay;WRITE_DELAY=0")).singleElement().asString()
                .contains("H2 is no longer a state store", StoreUrls.DEFAULT);
        assertThat(problems("jdbc:postgresql://127.0.0.1:5432/relay")).isEmpty();
    }

    @Test
    void theOldH2StoreInItsPlaceStopsTheDefaultStore() throws Exception {
        PropertyReader p = PropertyReader.of(Map.of());
        StoreUrls.checkNoOldStore(p, KEY, StoreUrls.DEFAULT, dir);
        assertThat(p.problems()).as("no old store").isEmpty();

        Files.createDirectories(dir.resolve(StoreUrls.OLD_H2_DEFAULT).getParent());
        Files.writeString(dir.resolve(StoreUrls.OLD_H2_DEFAULT), "H2 file");
        StoreUrls.checkNoOldStore(p, KEY, StoreUrls.DEFAULT, dir);
        assertThat(p.problems()).singleElement().asString().startsWith(KEY)
                .contains("data/state/relay.mv.db", "every file imported again");

        PropertyReader chosen = PropertyReader.of(Map.of());
        StoreUrls.checkNoOldStore(chosen, KEY, "jdbc:postgresql://127.0.0.1:5432/relay", dir);
        assertThat(chosen.problems()).as("a store chosen by the user").isEmpty();
    }

    private static java.util.List<String> problems(String url) {
        PropertyReader p = PropertyReader.of(Map.of());
        StoreUrls.checkDurable(p, KEY, url);
        return p.problems();
    }
}
