package dev.eventrelay.ops;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ops console's static files (routes/console.camel.yaml): HTML, CSS and ES modules shipped inside the jar
 * under {@value #ROOT}. {@code /} and {@code /console} redirect to {@code /console/}, which answers
 * {@code index.html}. Only a flat file name of known type is served (letters, digits, {@code -}, {@code _},
 * one {@code .} before the extension): a path with a folder, {@code ..}, an encoded character or another
 * extension is 404, so nothing outside {@value #ROOT} is ever read. Each file is read once and kept; it is
 * answered with its content type, an {@code ETag}, {@code Cache-Control: no-cache} (the browser asks again and
 * gets 304 while the file is the same) and headers that keep the page to its own origin. The files hold no data
 * and need no token: every figure the page shows comes from {@code /api/*}, which does.
 */
public final class ConsoleFiles {

    static final String ROOT = "console/";
    static final String BASE = "/console/";
    private static final Pattern FILE = Pattern.compile("/console/([A-Za-z0-9_-]+\\.(html|css|js|svg|ico))?");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "ico", "image/x-icon");
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self';"
            + " script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    private record File(byte[] bytes, String type, String etag) {
    }

    private final Map<String, Optional<File>> files = new ConcurrentHashMap<>();

    /** {@code GET /} and {@code GET /console}: 302 to {@code /console/}. */
    public void redirect(Exchange exchange) {
        HttpAnswers.answer(exchange, 302, "text/plain; charset=utf-8", "see " + BASE);
        exchange.getMessage().setHeader("Location", BASE);
    }

    /** {@code GET /console/…}: the file, 304 when the browser holds it already, 404 for anything else. */
    public void serve(Exchange exchange) {
        String path = path(exchange);
        if ("/console".equals(path)) {
            redirect(exchange);
            return;
        }
        Matcher matcher = FILE.matcher(path);
        Optional<File> file = matcher.matches() ? file(matcher.group(1) == null ? "index.html" : matcher.group(1))
                : Optional.empty();
        if (file.isEmpty()) {
            HttpAnswers.answer(exchange, 404, "text/plain; charset=utf-8", "the console has no file " + path);
            return;
        }
        String ifNoneMatch = exchange.getMessage().getHeader("If-None-Match", String.class);
        boolean unchanged = file.get().etag().equals(ifNoneMatch);
        HttpAnswers.answer(exchange, unchanged ? 304 : 200, file.get().type(), unchanged ? null : file.get().bytes());
        Message message = exchange.getMessage();
        message.setHeader("ETag", file.get().etag());
        message.setHeader("Cache-Control", "no-cache");
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setHeader("X-Frame-Options", "DENY");
        message.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }

    /** The request's path without its query. */
    private static String path(Exchange exchange) {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        if (uri == null) {
            return "";
        }
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private Optional<File> file(String name) {
        return files.computeIfAbsent(name, ConsoleFiles::load);
    }

    private static Optional<File> load(String name) {
        try (InputStream in = ConsoleFiles.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            return Optional.of(new File(bytes, type, "\"" + digest(bytes) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console file " + ROOT + name + " from the class path", e);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }
}
