package dev.eventrelay.delivery;

import dev.eventrelay.backbone.HookFeed;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.HookStates;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A hook's next page, read and captured while its batch is in flight, on feeds whose read changes nothing
 * ({@link HookFeed#readsAhead}): the store's event log. At most one page per hook is read ahead, from where the hook
 * will stand once the batch is delivered; the hook's next read takes it only if the hook stands exactly there and asks
 * for as many events (no retry pinned, the same pace), else it is dropped and the hook reads as always. A page read
 * ahead is the same page a later read would return, or a shorter one when events were published after it was read
 * (they come with the page after): a batch is whatever range was read, and its id is named after that range.
 * Reads ahead run on up to four daemon threads that end when idle; beyond that the hook's own thread reads.
 */
final class ReadAhead {

    /** A page read ahead: what the feed returned, and the events the hook captured of it. */
    record Page(HookFeed.Read read, List<Outgoing> captured) {
    }

    /** A page being read for {@code hook} from {@code from}, up to {@code max} events. */
    private record Ahead(EventLog.Cursor from, int max, Future<Page> page) {
    }

    private final HookFeed feed;
    private final Map<String, Ahead> ahead = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor readers = new ThreadPoolExecutor(0, 4, 10, TimeUnit.SECONDS,
            new SynchronousQueue<>(), work -> {
                Thread reader = new Thread(work, "hook-read-ahead");
                reader.setDaemon(true);
                return reader;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    ReadAhead(HookFeed feed) {
        this.feed = feed;
    }

    /**
     * Starts reading {@code hook}'s page after the batch in flight ({@code after}: its state once delivered) and
     * capturing its events with {@code capture}.
     */
    void start(String hook, HookStates.State after, int max, Function<HookFeed.Read, List<Outgoing>> capture) {
        if (feed.readsAhead()) {
            ahead.put(hook, new Ahead(after.cursor(), max, readers.submit(() -> {
                HookFeed.Read read = feed.read(hook, after, max);
                return new Page(read, capture.apply(read));
            })));
        }
    }

    /** The page read ahead for {@code hook} in {@code state}, up to {@code max} events; null when there is none to take. */
    Page take(String hook, HookStates.State state, int max) {
        Ahead page = ahead.remove(hook);
        if (page == null || state.retrying() || !page.from().equals(state.cursor()) || page.max() != max) {
            return null;
        }
        try {
            return page.page().get();
        } catch (ExecutionException e) {
            return null; // the hook reads again itself, and meets the failure (a store that is down) there
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
