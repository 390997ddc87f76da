package dev.eventrelay.state;

import dev.eventrelay.settings.ConfigException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One process at a time on an embedded (SQLite) store file. SQLite would let a second instance open the same file
 * and both would then run every schedule, recovery and hook over one store, which only the PostgreSQL store is made
 * for; so the first store of a process takes an operating-system lock on {@code <file>.instance-lock}, writes its
 * pid and start time into it, and a second process is refused with a message that says who holds it. Stores of the
 * same process on the same file share the lock (tests open several); it is released when the last one closes, and by
 * the operating system when the process dies, so a SIGKILL leaves nothing to clean up.
 */
final class EmbeddedStoreLock implements AutoCloseable {

    private static final Map<Path, Held> HELD = new HashMap<>();

    private record Held(FileChannel channel, FileLock lock, int[] users) {
    }

    private final Path lockFile;
    private boolean closed;

    private EmbeddedStoreLock(Path lockFile) {
        this.lockFile = lockFile;
    }

    /** Takes the lock of the store file {@code file}; refuses with the holder's pid when another process has it. */
    static EmbeddedStoreLock take(Path file) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".instance-lock");
        synchronized (HELD) {
            Held held = HELD.get(lockFile);
            if (held == null) {
                held = lock(file, lockFile);
                HELD.put(lockFile, held);
            }
            held.users()[0]++;
        }
        return new EmbeddedStoreLock(lockFile);
    }

    private static Held lock(Path file, Path lockFile) {
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).strip();
                channel.close();
                throw new ConfigException(List.of("relay.store.url: the embedded store " + file + " is in use by another"
                        + " Event Relay instance (" + (holder.isEmpty() ? "unknown" : holder) + "). The embedded SQLite"
                        + " store serves one instance: give this one a store of its own, or run several instances on"
                        + " one PostgreSQL store (docs/cluster.md)"));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", since " + Instant.now())
                    .getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new Held(channel, lock, new int[] {0});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the embedded store " + file + " (" + lockFile + ")", e);
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            Held held = HELD.get(lockFile);
            if (held != null && --held.users()[0] == 0) {
                HELD.remove(lockFile);
                try {
                    held.lock().release();
                    held.channel().close();
                } catch (IOException e) {
                    // the lock goes with the channel, and with the process at the latest
                }
            }
        }
    }
}
