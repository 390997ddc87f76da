package dev.eventrelay.support;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command-line tools of a server the test owns (rabbitmq-server, rabbitmqctl, initdb, pg_ctl): as the
 * server's own OS user when the test runs as root (as Debian's wrappers do; PostgreSQL refuses root), else as the
 * test's user. A command that fails or takes longer than two minutes fails with its output.
 */
final class ServerCommands {

    private ServerCommands() {
    }

    static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** Runs {@code command} with {@code env} added, as {@code user} when the test runs as root. */
    static void runAs(String user, Map<String, String> env, List<String> command) throws IOException,
            InterruptedException {
        if (!isRoot()) {
            run(env, command);
            return;
        }
        StringBuilder shell = new StringBuilder();
        env.forEach((key, value) -> shell.append(key).append("='").append(value).append("' "));
        for (String part : command) {
            shell.append('\'').append(part).append("' ");
        }
        run(Map.of(), List.of("su", user, "-s", "/bin/sh", "-c", "cd /tmp && exec env " + shell));
    }

    /** Gives {@code path} (and everything in it) to {@code user} when the test runs as root. */
    static void handOver(String user, File path) throws IOException, InterruptedException {
        if (isRoot()) {
            run(Map.of(), List.of("chown", "-R", user, path.toString()));
        }
    }

    private static void run(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
