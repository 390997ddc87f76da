package dev.eventrelay.ingest.file;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a file's chunks to the store on a thread of its own, one chunk at a time and in order, while the importing
 * thread reads and maps the next one: at most one chunk is in flight. {@link #submit} first waits for the chunk before,
 * so a store that falls behind holds the reader back (memory stays at two chunks), and a failed write is thrown to the
 * importing thread at the next {@link #submit} or {@link #drain}. {@link #close} waits for the write in flight, so
 * nothing of the file is written after the importer has moved on to discard it.
 */
final class ChunkWriter implements AutoCloseable {

    private final ExecutorService thread;
    private Future<?> inFlight;

    ChunkWriter(String fileName) {
        thread = Executors.newSingleThreadExecutor(work -> {
            Thread writer = new Thread(work, "chunk-writer " + fileName);
            writer.setDaemon(true);
            return writer;
        });
    }

    /** Waits for the chunk in flight (throwing its failure), then starts {@code write}, a chunk's store transaction. */
    void submit(Runnable write) {
        drain();
        inFlight = thread.submit(write);
    }

    /** Waits until every chunk submitted is written; throws the failure of the one that failed. */
    void drain() {
        Future<?> last = inFlight;
        inFlight = null;
        if (last == null) {
            return;
        }
        try {
            last.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inFlight = last; // close() still waits for it
            throw new IllegalStateException("interrupted while a chunk of the file was written", e);
        }
    }

    /** Waits for the write in flight, whatever its outcome (the importer reports its own failure), and ends the thread. */
    @Override
    public void close() {
        boolean interrupted = false;
        if (inFlight != null) {
            while (true) {
                try {
                    inFlight.get();
                    break;
                } catch (ExecutionException e) {
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            inFlight = null;
        }
        thread.shutdown();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
