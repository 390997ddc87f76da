package dev.eventrelay.state;

import dev.eventrelay.support.Slow;
import dev.eventrelay.boot.ValidatedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the shipped store (a SQLite file, WAL, synchronous=FULL) has committed survives a SIGKILL straight after
 * the commit. A child JVM records runs through {@link RunStore} and prints each id once its transaction has
 * committed; the test kills it as soon as the last id is printed and opens the store again. (The H2 store this
 * replaced lost the last half second of commits this way with its default write delay.) A power loss is beyond a
 * test here; that a commit is forced to disk is what {@code synchronous=FULL} promises, and
 * {@link dev.eventrelay.settings.StoreUrls} refuses a URL that turns it down.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@Slow
class StateStoreKillTest {

    private static final int RUNS = 20;
    private static final String COMMITTED = "committed run ";

    @TempDir
    Path dir;

    @Test
    void everyRunCommittedBeforeTheKillIsStillThere() throws Exception {
        String url = ValidatedConfig.DEFAULT_STORE_URL.replace("./data/state/relay.db",
                dir.resolve("relay.db").toAbsolutePath().toString());
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), Writer.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> committed = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (committed.size() < RUNS && (line = out.readLine()) != null) {
                if (line.startsWith(COMMITTED)) { // the rest of the output is the child's log
                    committed.add(line.substring(COMMITTED.length()));
                }
            }
            child.destroyForcibly().waitFor();
        }
        assertThat(committed).as("ids the child printed").hasSize(RUNS);

        StateStore store = new StateStore(url, "sa", "", 2);
        try {
            RunStore runs = new RunStore(store);
            assertThat(committed).allSatisfy(id -> assertThat(runs.find(id)).as("run " + id).isPresent());
        } finally {
            store.stop();
        }
    }

    /**
     * The child: records {@link #RUNS} runs, printing each id after its commit, then waits to be killed (it reads
     * its input, which the test never writes; should the test go away first, the input ends and so does the child).
     */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            StateStore store = new StateStore(args[0], "sa", "", 2);
            store.migrate();
            RunStore runs = new RunStore(store);
            for (int i = 0; i < RUNS; i++) {
                System.out.println(COMMITTED + runs.create("kill-test", "sftp", "manual", Instant.now()));
                System.out.flush();
            }
            System.in.read();
        }
    }
}
