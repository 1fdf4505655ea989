package dev.flinkrag.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page in a real headless browser (Debian's chromium and chromedriver, scripts/install-chromium.sh),
 * served by the README's main command on a copy of the sample folder with two bad documents: the page shows the
 * index's figures and the job's dead letters and cache hit rate, finds a document with highlighted words, follows
 * an edit of the file without another click, and answers a question. The last screenshot is kept in
 * {@code e2e-tests/target/status-page.png}.
 */
class StatusPageBrowserIT {

    private static final Path JAR = Path.of(System.getProperty("examples.jar"));
    private static final Path SAMPLES = Path.of(System.getProperty("sample.docs"));
    private static final Path SCREENSHOT = Path.of("target", "status-page.png");
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private final LocalProcesses processes = new LocalProcesses();
    private WebDriver browser;

    @TempDir
    Path temp;

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT,
                    StandardCopyOption.REPLACE_EXISTING);
            browser.quit();
        }
        processes.close();
    }

    @Test
    void thePageSearchesFollowsAnEditAndShowsTheJobsFigures() throws Exception {
        Path docs = SampleFolders.copy(SAMPLES, temp.resolve("docs"));
        Files.write(docs.resolve("broken.pdf"), "%PDF-1.7\nthis is no PDF, just its first line\n".getBytes());
        Files.writeString(docs.resolve("poison.md"), "A document the operator chose to leave out.\n");
        int port = LocalProcesses.freePort();
        processes.start(new ProcessBuilder("java", "-jar", JAR.toString(), docs.toString(),
                "--work-dir", temp.resolve("work").toString(), "--port", Integer.toString(port),
                "--scan-interval-ms", "200", "--parsing.skip-documents", "poison.md"), temp.resolve("job.log"));

        browser = chromium();
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE, Duration.ofMillis(250));
        wait.ignoring(org.openqa.selenium.WebDriverException.class)
                .until(driver -> {
                    driver.get("http://127.0.0.1:" + port + "/");
                    return true;
                });
        assertThat(browser.getTitle()).isEqualTo("flink-rag index");

        // the index's figures, then the job's: two dead letters, the cache consulted for every embedded chunk
        wait.until(ExpectedConditions.textMatches(By.id("documents"), java.util.regex.Pattern.compile("2[5-9]")));
        wait.until(ExpectedConditions.textToBe(By.id("dead-letters"), "2"));
        wait.until(ExpectedConditions.textMatches(By.id("cache-hit-rate"),
                java.util.regex.Pattern.compile("\\d+\\.\\d % of [1-9]\\d* lookups")));
        assertThat(text("chunks")).matches("[1-9]\\d+");
        assertThat(text("model")).isEqualTo("all-minilm-l6-v2-q");
        assertThat(text("freshness-lag")).matches("\\d+ ms");

        browser.findElement(By.id("query")).sendKeys("ceramic knives chip on frozen food");
        browser.findElement(By.cssSelector("#search-form button")).click();
        wait.until(driver -> !driver.findElements(By.cssSelector("#results .hit")).isEmpty());
        assertThat(hitTexts()).noneMatch(hit -> hit.contains("Ceramic knives stay sharp"));
        assertThat(browser.findElements(By.cssSelector("#results .hit-text mark"))).isNotEmpty();

        // edit the file: the results follow the index, no click needed
        Files.writeString(docs.resolve("kitchen/knife-care.md"), "\n\nCeramic knives stay sharp for years but chip "
                + "easily if they are twisted while cutting frozen food.\n", StandardOpenOption.APPEND);
        wait.until(driver -> hitTexts().stream().anyMatch(hit -> hit.contains("Ceramic knives stay sharp")));
        WebElement edited = browser.findElements(By.cssSelector("#results .hit")).stream()
                .filter(hit -> hit.getText().contains("Ceramic knives stay sharp")).findFirst().orElseThrow();
        assertThat(edited.findElement(By.className("hit-source")).getText()).startsWith("kitchen/knife-care.md");
        assertThat(edited.findElements(By.tagName("mark"))).extracting(WebElement::getText)
                .contains("Ceramic", "knives", "frozen", "food");

        browser.findElement(By.id("question")).sendKeys("why does my coffee taste bitter?");
        browser.findElement(By.cssSelector("#answer-form button")).click();
        wait.until(ExpectedConditions.textMatches(By.id("answer"), java.util.regex.Pattern.compile("Extractive answer.*")));
        assertThat(browser.findElements(By.cssSelector("#sources li"))).extracting(WebElement::getText)
                .contains("kitchen/coffee-extraction.md");
        assertThat(browser.findElement(By.id("status-error")).isDisplayed()).isFalse();
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private List<String> hitTexts() {
        return browser.findElements(By.cssSelector("#results .hit-text")).stream().map(WebElement::getText).toList();
    }

    /** Debian's chromium through its own chromedriver: named explicitly, so Selenium Manager downloads nothing. */
    private static WebDriver chromium() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary("/usr/bin/chromium")
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        return new ChromeDriver(service, options);
    }
}
