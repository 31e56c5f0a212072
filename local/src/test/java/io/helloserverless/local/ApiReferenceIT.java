package io.helloserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The API reference at {@code https://localhost:8443/} in a real browser: Debian's headless
 * Chromium, driven by Selenium through Debian's chromedriver (nothing is downloaded). Every
 * operation of {@code terraform/openapi.yaml} is listed, and "Try it out" reaches the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiReferenceIT {

    private static final Path OPENAPI = Path.of("..", "terraform", "openapi.yaml");
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));

    private Path data;
    private LocalServer server;
    private HttpClient client;

    @BeforeAll
    void start() throws Exception {
        data = Files.createTempDirectory("hs-api-reference-it");
        server = LocalServer.start(LocalOptions.parse(new String[] {"--port=0", "--data-dir=" + data}, Map.of()));
        client = client(server.certificate());
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }


    @Test
    void listsEveryOperationAndTriesOneAgainstTheServer() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("ApiReferenceIT needs Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (-Dchromium=..., -Dchromedriver=... elsewhere); .ci/run installs them: apt-get install chromium chromium-driver");
        }
        Set<String> documented = operations();
        WebDriver browser = browser();
        try {
            String origin = "https://localhost:" + server.port();
            browser.get(origin + "/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            // Swagger UI renders every operation at once, when it has read the document.
            wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector(".opblock"), 0));

            Set<String> listed = new TreeSet<>();
            WebElement health = null;
            for (WebElement operation : browser.findElements(By.cssSelector(".opblock"))) {
                String method = operation.findElement(By.cssSelector(".opblock-summary-method")).getText().toLowerCase(Locale.ROOT);
                String path = operation.findElement(By.cssSelector(".opblock-summary-path")).getDomAttribute("data-path");
                listed.add(method + " " + path);
                if ((method + " " + path).equals("get /v1/health")) {
                    health = operation;
                }
            }
            assertEquals(documented, listed, "the page lists exactly the operations of openapi.yaml");
            assertNotNull(health, "GET /v1/health is listed");

            health.findElement(By.cssSelector(".opblock-summary-control")).click();
            // The block expands in the page's own time: wait for its button to exist, then to be clickable.
            wait.until(ExpectedConditions.presenceOfNestedElementLocatedBy(health, By.cssSelector(".try-out__btn")));
            wait.until(ExpectedConditions.elementToBeClickable(health.findElement(By.cssSelector(".try-out__btn")))).click();
            wait.until(ExpectedConditions.elementToBeClickable(health.findElement(By.cssSelector(".btn.execute")))).click();
            By live = By.cssSelector(".live-responses-table tr.response");
            wait.until(ExpectedConditions.presenceOfNestedElementLocatedBy(health, live));
            WebElement response = health.findElement(live);
            assertEquals("200", response.findElement(By.cssSelector(".response-col_status")).getText().strip(), response.getText());
            assertTrue(response.getText().replaceAll("\\s", "").contains("\"status\":\"ok\""), response.getText());
            assertEquals(origin + "/v1/health", health.findElement(By.cssSelector(".request-url pre")).getText().strip(),
                    "the document has no servers: requests go to the page's own origin");

            List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                    .map(LogEntry::toString).toList();
            assertEquals(List.of(), errors, "the console shows no error, Content-Security-Policy violations included");

            screenshot(browser);
        } finally {
            browser.quit();
        }
    }

    @Test
    void servesThePageFilesOnlyToGetAndHead() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/")).GET());
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(ApiReference.CONTENT_SECURITY_POLICY, page.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals(page.body(), send(HttpRequest.newBuilder(uri("/index.html")).GET()).body());

        HttpResponse<String> document = send(HttpRequest.newBuilder(uri("/openapi.yaml")).GET());
        assertEquals("application/yaml", document.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(Files.readString(OPENAPI), document.body(), "the jar serves the document Terraform deploys");

        HttpResponse<String> bundle = send(HttpRequest.newBuilder(uri("/swagger-ui/swagger-ui-bundle.js"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, bundle.statusCode());
        assertEquals("text/javascript; charset=utf-8", bundle.headers().firstValue("Content-Type").orElseThrow());

        assertProblem(send(HttpRequest.newBuilder(uri("/")).POST(HttpRequest.BodyPublishers.ofString("x"))), 404, "not-found");
        assertProblem(send(HttpRequest.newBuilder(uri("/openapi.yaml")).DELETE()), 404, "not-found");
        assertProblem(send(HttpRequest.newBuilder(uri("/swagger-ui/")).GET()), 404, "not-found");
        assertProblem(send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/swagger-ui/..%2F..%2Fmaven%2Forg.webjars%2Fswagger-ui%2Fpom.properties")).GET()),
                404, "not-found");
        assertProblem(send(HttpRequest.newBuilder(uri("/swagger-ui/nothing.js")).GET()), 404, "not-found");
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/health")).POST(HttpRequest.BodyPublishers.noBody())), 405, "method-not-allowed");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + server.port() + path);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("urn:hello-serverless:problem:" + type,
                JsonParser.parseString(response.body()).getAsJsonObject().get("type").getAsString());
    }

    private static HttpClient client(Path certificate) throws Exception {
        return HttpClient.newBuilder().sslContext(TrustedCertificate.sslContext(certificate))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** "get /v1/health" and the like: every operation of the document, read from it. */
    private static Set<String> operations() throws Exception {
        JsonNode paths = YAMLMapper.builder().build().readTree(OPENAPI.toFile()).get("paths");
        Set<String> operations = new TreeSet<>();
        paths.properties().forEach(path -> path.getValue().propertyNames().stream()
                .filter(HTTP_METHODS::contains)
                .forEach(method -> operations.add(method + " " + path.getKey())));
        assertTrue(operations.size() >= 7, "openapi.yaml has its operations: " + operations);
        return operations;
    }

    private WebDriver browser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                // The laptop server's certificate is self-signed.
                "--ignore-certificate-errors",
                "--user-data-dir=" + Files.createTempDirectory(data, "chromium"), "--window-size=1280,900");
        options.setAcceptInsecureCerts(true);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // A driver given by path: Selenium Manager, which would download one, does not run.
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(driver, options);
    }

    /** The whole page as it is now, into target/ (docs/api-reference.png is a copy of one). */
    private static void screenshot(WebDriver browser) throws Exception {
        String target = System.getProperty("api-reference.screenshot");
        if (target == null) {
            return;
        }
        JavascriptExecutor page = (JavascriptExecutor) browser;
        long height = (Long) page.executeScript(
                "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight");
        browser.manage().window().setSize(new Dimension(1280, (int) Math.min(height, 4000)));
        page.executeScript("window.scrollTo(0, 0)");
        Files.write(Path.of(target), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
