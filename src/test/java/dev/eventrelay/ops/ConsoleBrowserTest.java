package dev.eventrelay.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.support.HeadlessChromium;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.Slow;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestSftpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ops console in a real browser (Debian's headless Chromium through Selenium) against the real service with
 * a token: the prompt is all it shows until the right token is given; a check-only upload reports the rejected
 * row and imports nothing; an upload through the form becomes a run that reaches Processed with its counts, and
 * its errors.csv downloads; an import is paused with a reason and resumed; a dead letter of a refusing hook is
 * shown with its payload and replayed; hooks and the error log show. Screenshots go to target/console-screenshots/.
 */
@Slow
class ConsoleBrowserTest {

    /** Listed in src/test/resources/secrets-used-by-tests.txt: no test output may show it. */
    private static final String TOKEN = "relay-secret-console-token-7f3a";
    private static final Path SHOTS = Path.of("target/console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CSV = """
            event,customer_id,email,timestamp,value,value_currency
            purchase,42,ann@example.com,2026-11-22T04:19:42Z,25.00,EUR
            purchase,43,bob@example.com,2026-11-22T05:00:00+01:00,10,EUR
            add_to_cart,44,carol@example.com,2026-11-22T06:00:00Z,3.50,EUR
            purchase,45,dave@example.com,yesterday at noon,10,EUR
            """;

    @TempDir
    Path dir;
    TestSftpServer sftp;
    TestHttpReceiver receiver;
    RelayUnderTest relay;
    HeadlessChromium chromium;
    ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        sftp = new TestSftpServer(dir.resolve("sftp"));
        receiver = new TestHttpReceiver(RelayUnderTest.freePort()).start();
        // the first batch is refused for good (HTTP 400): it goes to dead letters at once
        receiver.answer(new TestHttpReceiver.Answer(400, null, null, "{\"error\": \"customer 45 is unknown here\"}"));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("relay.store.url", StoreDatabases.sqlite(dir.resolve("store")));
        config.put("relay.api.token", TOKEN);
        config.put("relay.hook.all-events.file.folder", dir.resolve("outbox").toString());
        config.putAll(sftp.importConfig("default", "udc_1itzAa15r", "ed25519"));
        config.put("relay.hook.partner.destination", "http");
        config.put("relay.hook.partner.http.url", receiver.url());
        config.put("relay.hook.partner.batch.max-wait.seconds", "0.05");
        relay = new RelayUnderTest(config).start();
        chromium = new HeadlessChromium(dir, 1280, 1000);
        browser = chromium.driver();
    }

    @AfterEach
    void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        sftp.close();
    }

    @Test
    void opsWorkThroughTheConsole() throws Exception {
        theConsoleShowsOnlyThePromptUntilTheRightToken();
        Path file = Files.writeString(dir.resolve("orders-2026-11-22.csv"), CSV);
        aCheckOnlyUploadShowsTheRejectedRowAndImportsNothing(file);
        String runId = anUploadBecomesARunThatReachesProcessedWithItsCounts(file);
        theErrorsCsvOfTheRunDownloads(runId);
        anImportIsPausedWithAReasonAndResumed();
        aDeadLetterIsShownWithItsPayloadAndReplayed();
        theHooksAndTheErrorLogShow();
        theConsoleFitsAPhoneWidthScreen();
    }

    private void theConsoleShowsOnlyThePromptUntilTheRightToken() throws Exception {
        browser.get(relay.uri("/").toString());
        WebElement token = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(browser.getCurrentUrl()).endsWith("/console/");
        assertThat(browser.findElement(By.id("main")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("page")).getText()).isEmpty();
        assertThat(browser.findElement(By.cssSelector("label[for=token]")).getText()).isEqualTo("API token");
        shot("01-token-prompt");

        token.sendKeys("not-the-token");
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "not the one"));
        assertThat(browser.findElement(By.id("main")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("page")).getText()).isEmpty();

        browser.findElement(By.id("token")).sendKeys(TOKEN + "\n");
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-import=manual]")));
        assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
        assertThat(browser.getCurrentUrl()).doesNotContain(TOKEN);
    }

    private void aCheckOnlyUploadShowsTheRejectedRowAndImportsNothing(Path file) throws Exception {
        chooseUpload(file);
        browser.findElement(By.id("upload-check")).click();

        WebElement result = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("check-result")));
        assertThat(result.getText()).contains("nothing was imported").contains("4 rows")
                .contains("3 would be accepted").contains("1 would be rejected").contains("yesterday at noon");
        assertThat(relay.getJson("/api/imports/manual/runs").get("total").asLong()).isZero();
        shot("02-check-only");
    }

    private String anUploadBecomesARunThatReachesProcessedWithItsCounts(Path file) throws Exception {
        chooseUpload(file);
        browser.findElement(By.id("upload-submit")).click();

        WebElement uploaded = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("upload-run")));
        assertThat(browser.findElement(By.id("upload-progress")).getDomProperty("value")).isEqualTo("100");
        String runId = uploaded.getDomAttribute("data-run-id");
        browser.findElement(By.id("upload-run-link")).click();
        WebElement run = waitFor(d -> {
            WebElement shown = d.findElement(By.id("run"));
            return "Processed".equals(shown.getDomAttribute("data-processing-status")) ? shown : null;
        });
        assertThat(run.getDomAttribute("data-run-id")).isEqualTo(runId);
        assertThat(run.getDomAttribute("data-rows-processed")).isEqualTo("3");
        assertThat(run.getDomAttribute("data-rows-errored")).isEqualTo("1");
        assertThat(browser.findElement(By.id("run-counts")).getText())
                .isEqualTo("4 total, 3 accepted, 1 rejected, 0 warnings");
        assertThat(browser.findElement(By.cssSelector("#run progress")).getDomProperty("value")).isEqualTo("100");
        assertThat(browser.findElement(By.cssSelector("table")).getText()).contains("orders-2026-11-22.csv")
                .contains("Imported");
        WebElement shownTime = browser.findElement(By.cssSelector("#run-processing time"));
        assertThat(shownTime.getDomAttribute("title")).endsWith("Z (UTC)");
        shot("03-run");

        browser.findElement(By.linkText("← Runs of manual")).click();
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-run-id='" + runId + "']")));
        assertThat(browser.findElement(By.cssSelector("figure svg.chart")).getDomAttribute("aria-label"))
                .contains("Rows accepted and rejected in the last 1 runs");
        shot("04-runs");
        return runId;
    }

    private void theErrorsCsvOfTheRunDownloads(String runId) throws Exception {
        browser.findElement(By.cssSelector("button[data-errors-csv='" + runId + "']")).click();

        Path csv = chromium.downloads().resolve("errors-" + runId + ".csv");
        waitFor(d -> Files.isRegularFile(csv) ? csv : null);
        String text = waitFor(d -> {
            try {
                String content = Files.readString(csv);
                return content.contains("\n") ? content : null;
            } catch (IOException e) {
                return null;
            }
        });
        assertThat(text.lines().toList()).hasSize(2);
        assertThat(text).startsWith("file,row,reason,raw_line").contains("orders-2026-11-22.csv,4,")
                .contains("yesterday at noon");
    }

    private void anImportIsPausedWithAReasonAndResumed() throws Exception {
        browser.findElement(By.linkText("Imports & syncs")).click();
        waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label='Pause default']"))).click();
        WebElement reason = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("pause-reason")));
        reason.sendKeys("partner is moving servers");
        browser.findElement(By.id("pause-confirm")).click();

        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-import=default]"),
                "partner is moving servers"));
        assertThat(browser.findElement(By.cssSelector("tr[data-import=default] .badge")).getText()).isEqualTo("Paused");
        assertThat(importStatus("default")).isEqualTo("Paused");
        shot("05-imports-paused");

        browser.findElement(By.cssSelector("button[aria-label='Resume default']")).click();
        waitFor(d -> "Launched".equals(d.findElement(By.cssSelector("tr[data-import=default] .badge")).getText()));
        assertThat(importStatus("default")).isEqualTo("Launched");
    }

    private void aDeadLetterIsShownWithItsPayloadAndReplayed() throws Exception {
        JsonNode letter = RelayUnderTest.await("a dead letter of hook partner", WAIT,
                () -> relay.getJson("/api/dead-letters?hook=partner").get("dead_letters"), list -> list.size() > 0).get(0);
        long id = letter.get("id").asLong();
        int before = receiver.requests().size();

        browser.findElement(By.linkText("Dead letters")).click();
        new Select(waitFor(ExpectedConditions.elementToBeClickable(By.id("dead-letter-hook")))).selectByVisibleText("partner");
        waitFor(ExpectedConditions.urlContains("hook=partner"));
        waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label='Show dead letter " + id + "']")))
                .click();
        WebElement payload = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("dead-letter-payload")));
        assertThat(payload.getText()).contains("\"event_id\"").contains("ann@example.com");
        assertThat(browser.findElement(By.id("dead-letter-message")).getText()).contains("customer 45 is unknown here");
        shot("06-dead-letter");

        browser.findElement(By.cssSelector("button[aria-label='Replay dead letter " + id + "']")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "queued for replay"));
        RelayUnderTest.await("dead letter " + id + " to be replayed", WAIT,
                () -> relay.getJson("/api/dead-letters/" + id).get("status").asText(), "Replayed"::equals);
        assertThat(receiver.requests().subList(before, receiver.requests().size()))
                .anySatisfy(request -> assertThat(request.body()).contains(letter.get("batch_id").asText()));
        browser.navigate().refresh();
        waitFor(d -> "Replayed".equals(d.findElement(By.cssSelector("tr[data-dead-letter='" + id + "']"))
                .getDomAttribute("data-status")));
    }

    private void theHooksAndTheErrorLogShow() throws Exception {
        browser.findElement(By.linkText("Hooks")).click();
        WebElement partner = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-hook=partner]")));
        WebElement spark = partner.findElement(By.cssSelector("svg.sparkline"));
        assertThat(spark.getDomAttribute("aria-label")).matches("[1-9][0-9]* events delivered in the last 60 minutes.*");
        partner.findElement(By.cssSelector("details summary")).click();
        assertThat(partner.getText()).contains("http-400").contains("customer 45 is unknown here");
        shot("07-hooks");

        browser.findElement(By.linkText("Error log")).click();
        WebElement entry = waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("#error-log details summary")));
        entry.click();
        WebElement details = browser.findElement(By.cssSelector("#error-log details[open]"));
        assertThat(details.getText()).contains("Code").contains("External message").contains("Date");
        shot("08-error-log");
    }

    private void theConsoleFitsAPhoneWidthScreen() throws Exception {
        chromium.size(390, 844);
        browser.findElement(By.linkText("Imports & syncs")).click();
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-import=manual]")));
        shot("09-phone");
        Long overflow = (Long) browser.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        Object widest = browser.executeScript("const w = document.documentElement.clientWidth;"
                + " return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)"
                + ".map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5).join(', ');");
        assertThat(overflow).as("horizontal overflow at 390 px (wider than the window: %s)", widest)
                .isLessThanOrEqualTo(0L);
        chromium.size(1280, 1000);
    }

    private void chooseUpload(Path file) {
        browser.findElement(By.linkText("Imports & syncs")).click();
        new Select(waitFor(ExpectedConditions.elementToBeClickable(By.id("upload-import")))).selectByValue("manual");
        WebElement input = browser.findElement(By.id("upload-file"));
        input.clear();
        input.sendKeys(file.toAbsolutePath().toString());
    }

    private String importStatus(String name) throws Exception {
        for (JsonNode item : relay.getJson("/api/imports").get("imports")) {
            if (item.get("name").asText().equals(name)) {
                return item.get("status").asText();
            }
        }
        throw new AssertionError("GET /api/imports shows no import " + name);
    }

    private <T> T waitFor(Function<WebDriver, T> condition) {
        // the pages re-render their tables while they poll: an element found a moment ago may be replaced
        return new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class).until(condition);
    }

    private void shot(String name) throws IOException {
        chromium.screenshot(SHOTS.resolve(name + ".png"));
    }
}
