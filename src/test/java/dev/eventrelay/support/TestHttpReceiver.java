package dev.eventrelay.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver for tests (the JDK's HTTP server on 127.0.0.1): it records every request with its arrival
 * time and answers with the statuses queued by the test, then 200. It can be started on a port chosen
 * earlier, to play a receiver that is down for a while, and can take its time to answer ({@link #holdUntilAtOnce}),
 * counting the most requests it held at once ({@link #mostAtOnce}).
 */
public final class TestHttpReceiver implements AutoCloseable {

    /** A request as received, the status it was answered with, and when it arrived ({@link System#nanoTime()}). */
    public record Request(Map<String, List<String>> headers, String body, int status, long arrivedNanos) {
        /** A request not answered (yet). */
        public Request(Map<String, List<String>> headers, String body) {
            this(headers, body, 0, 0);
        }

        public Request(Map<String, List<String>> headers, String body, int status) {
            this(headers, body, status, 0);
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** An answer: status, extra header (may be null), body. */
    public record Answer(int status, String header, String headerValue, String body) {
        public static Answer of(int status) {
            return new Answer(status, null, null, "status " + status);
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Answer> answers = new ConcurrentLinkedDeque<>();
    private final int port;
    private final AtomicInteger atOnce = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    /** Requests wait until this many are held at once, or until {@link #holdDeadline} per request; 0 = answer at once. */
    private volatile int holdUntilAtOnce;
    private volatile long holdDeadlineNanos;
    private final Object held = new Object();
    /** How many times enough requests were held at once, and those held were let go (guarded by {@code held}). */
    private long released;
    private HttpServer server;
    private java.util.concurrent.ExecutorService executor;

    public TestHttpReceiver(int port) {
        this.port = port;
    }

    public TestHttpReceiver start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            long arrived = System.nanoTime();
            synchronized (held) {
                mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
                held.notifyAll();
            }
            Answer answer = answers.pollFirst();
            if (answer == null) {
                answer = Answer.of(200);
            }
            try (InputStream in = exchange.getRequestBody()) {
                requests.add(new Request(Map.copyOf(exchange.getRequestHeaders()),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8), answer.status(), arrived));
            }
            holdUntilOthersArrive();
            atOnce.decrementAndGet();
            if (answer.header() != null) {
                exchange.getResponseHeaders().add(answer.header(), answer.headerValue());
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return this;
    }

    /**
     * Holds every later request until {@code requests} requests are held at once (a receiver that answers only when
     * it is sent several requests together), or, for a request that finds too few beside it, until {@code deadline}
     * has passed since it arrived. {@link #mostAtOnce} then tells whether the sender had that many in flight.
     */
    public void holdUntilAtOnce(int requests, java.time.Duration deadline) {
        holdDeadlineNanos = deadline.toNanos();
        holdUntilAtOnce = requests;
    }

    private void holdUntilOthersArrive() {
        int wanted = holdUntilAtOnce;
        long until = System.nanoTime() + holdDeadlineNanos;
        synchronized (held) {
            if (atOnce.get() >= wanted) {
                released++; // enough are held: this one and every one waiting go
                held.notifyAll();
                return;
            }
            long generation = released;
            long left;
            while (released == generation && (left = until - System.nanoTime()) > 0) {
                try {
                    held.wait(left / 1_000_000 + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The most requests the receiver held at once. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    public void answer(Answer... queued) {
        answers.addAll(List.of(queued));
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/events";
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** Removes and returns the requests received so far, oldest first, so a long-running receiver keeps no history. */
    public List<Request> take() {
        List<Request> taken = new ArrayList<>();
        while (!requests.isEmpty()) {
            taken.add(requests.remove(0));
        }
        return taken;
    }

    public void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
            executor.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
