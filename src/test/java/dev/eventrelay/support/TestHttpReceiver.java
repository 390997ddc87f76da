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
 * earlier, to play a receiver that is down for a while, and can take its time to answer ({@link #answerAfter}),
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
    private volatile long answerAfterMillis;
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
            mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
            Answer answer = answers.pollFirst();
            if (answer == null) {
                answer = Answer.of(200);
            }
            try (InputStream in = exchange.getRequestBody()) {
                requests.add(new Request(Map.copyOf(exchange.getRequestHeaders()),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8), answer.status(), arrived));
            }
            if (answerAfterMillis > 0) {
                try {
                    Thread.sleep(answerAfterMillis); // the receiver's own slowness, not a wait of the test
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
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

    /** Holds every later request this long before answering it. */
    public void answerAfter(java.time.Duration delay) {
        answerAfterMillis = delay.toMillis();
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
