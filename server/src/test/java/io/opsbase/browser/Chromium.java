package io.opsbase.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.opsbase.auth.Role;
import io.opsbase.auth.UserService;
import io.opsbase.testing.TestUsers;

/**
 * Debian's Chromium driven by its chromedriver, headless, with a fresh profile per browser. When
 * Chromium is missing the browser tests fail with instructions: they never skip, so a machine
 * without a browser cannot pass them silently.
 */
final class Chromium implements AutoCloseable {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;
    final WebDriverWait wait;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    /** A new browser whose Accept-Language is {@code languages}, e.g. {@code en-US,en}. */
    static Chromium start(String languages) {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("Browser tests need Chromium and its driver at " + BROWSER + " and "
                    + DRIVER + ": install them with `apt-get update && apt-get install -y chromium chromium-driver`");
        }
        try {
            Path profile = Files.createTempDirectory("opsbase-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(BROWSER.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile, "--window-size=1440,900", "--lang=" + languages.split(",")[0],
                    "--force-device-scale-factor=1");
            options.setExperimentalOption("prefs", Map.of("intl.accept_languages", languages));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
            return new Chromium(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebDriver driver() {
        return driver;
    }

    /**
     * A user with a readable name for the screenshots, password {@link TestUsers#PASSWORD}. Browser
     * test classes share one Spring context and database, so the user may exist already.
     */
    static String ensureUser(UserService users, String username, String displayName, Role role) {
        if (users.list().stream().noneMatch(u -> u.username().equals(username))) {
            users.create(username, displayName, TestUsers.PASSWORD, role);
        }
        return username;
    }

    /**
     * With {@code -Dscreenshots=true}, saves the current page as {@code docs/screenshots/<name>.png}
     * at the repository root (the tests run in {@code server/}).
     */
    void screenshot(String name) {
        if (!Boolean.getBoolean("screenshots")) {
            return;
        }
        Path here = Path.of("").toAbsolutePath();
        Path root = here.getFileName() != null && here.getFileName().toString().equals("server") ? here.getParent() : here;
        Path target = root.resolve("docs/screenshots/" + name + ".png");
        try {
            Files.createDirectories(target.getParent());
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
