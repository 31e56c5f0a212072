package io.helloserverless.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.amazonaws.services.lambda.runtime.Context;
import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.ETag;
import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.adapters.redis.CacheSettings;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.metrics.EmfDocument;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.security.MessageDigest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each function through its real Dagger component, fed API Gateway events deserialised as the
 * managed runtime does, against real PostgreSQL, Redis, an S3-compatible server and a Secrets
 * Manager server.
 */
class FunctionsIT {

    private static TestEnvironment environment;
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static ApiHandler create;
    private static ApiHandler read;
    private static ApiHandler list;
    private static ApiHandler update;
    private static ApiHandler delete;
    private static ApiHandler health;

    @BeforeAll
    static void startServersAndFunctions() throws Exception {
        environment = TestEnvironment.start();
        RequestLog log = new RequestLog(new PrintStream(LOG, true, StandardCharsets.UTF_8));
        create = new CreateFileFunction(environment.setup(log));
        read = new ReadFileFunction(environment.setup(log));
        list = new ListFilesFunction(environment.setup(log));
        update = new UpdateFileFunction(environment.setup(log));
        delete = new DeleteFileFunction(environment.setup(log));
        health = new HealthFunction(environment.setup(log));
        call(create, createRequest("metrics.txt", "measured"));
        metricsFileWritten = System.nanoTime();
    }

    /** When metrics.txt was written: its name is uncached for the invalidation window after that. */
    private static long metricsFileWritten;

    @AfterAll
    static void stopServers() throws Exception {
        environment.close();
    }

    private static APIGatewayProxyResponseEvent call(ApiHandler function, Events request) {
        APIGatewayProxyResponseEvent response = function.handleRequest(request.event(), TestEnvironment.context());
        assertEquals(request.requestId(), response.getHeaders().get("X-Request-Id"), "every response names its request");
        return response;
    }

    private static Events createRequest(String name, String text) {
        return Events.request("POST", "/v1/files", "/v1/files").query("name", name).text(text);
    }

    private static JsonObject json(APIGatewayProxyResponseEvent response) {
        return JsonParser.parseString(response.getBody()).getAsJsonObject();
    }

    private static String text(APIGatewayProxyResponseEvent response) {
        assertTrue(response.getIsBase64Encoded());
        return new String(Base64.getDecoder().decode(response.getBody()), StandardCharsets.UTF_8);
    }

    @Test
    void createsReadsUpdatesAndDeletesAFile() throws Exception {
        APIGatewayProxyResponseEvent created = call(create, createRequest("notes 2026 ✓.txt", "first draft"));
        assertEquals(201, created.getStatusCode());
        assertEquals("/v1/files/notes%202026%20%E2%9C%93.txt", created.getHeaders().get("Location"));
        JsonObject metadata = json(created);
        assertEquals("notes 2026 ✓.txt", metadata.get("name").getAsString());
        assertEquals(11, metadata.get("size").getAsLong());
        assertEquals(sha256("first draft"), metadata.get("sha256").getAsString());
        String etag = created.getHeaders().get("ETag");
        assertEquals(etag, metadata.get("etag").getAsString());

        String encoded = "notes%202026%20%E2%9C%93.txt";
        APIGatewayProxyResponseEvent got = call(read, Events.onFile("GET", encoded));
        assertEquals(200, got.getStatusCode());
        assertEquals("first draft", text(got));
        assertEquals("text/plain; charset=utf-8", got.getHeaders().get("Content-Type"));
        assertEquals(etag, got.getHeaders().get("ETag"));
        assertNotNull(got.getHeaders().get("Last-Modified"));
        assertEquals("sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256("first draft"))) + ":",
                got.getHeaders().get("Repr-Digest"));

        APIGatewayProxyResponseEvent updated = call(update, Events.onFile("PUT", encoded)
                .header("If-Match", etag).text("second draft"));
        assertEquals(200, updated.getStatusCode());
        assertEquals(2, json(updated).get("version").getAsLong());
        assertFalse(etag.equals(updated.getHeaders().get("ETag")));
        assertEquals("second draft", text(call(read, Events.onFile("GET", encoded))));

        APIGatewayProxyResponseEvent stale = call(update, Events.onFile("PUT", encoded).header("If-Match", etag).text("lost"));
        assertEquals(412, stale.getStatusCode());

        assertEquals(204, call(delete, Events.onFile("DELETE", encoded)).getStatusCode());
        assertEquals(404, call(read, Events.onFile("GET", encoded)).getStatusCode());
        assertEquals(404, call(delete, Events.onFile("DELETE", encoded)).getStatusCode());
    }

    @Test
    void answersHeadWithTheHeadersOfAGetAndNoBody() {
        call(create, createRequest("head.txt", "twelve bytes"));

        APIGatewayProxyResponseEvent head = call(read, Events.onFile("HEAD", "head.txt"));

        assertEquals(200, head.getStatusCode());
        assertNull(head.getBody());
        assertEquals("12", head.getHeaders().get("Content-Length"));
        assertNotNull(head.getHeaders().get("ETag"));
    }

    @Test
    void answersNotModifiedWhenIfNoneMatchNamesTheCurrentRevision() {
        String etag = call(create, createRequest("cached.txt", "x")).getHeaders().get("ETag");

        APIGatewayProxyResponseEvent notModified = call(read, Events.onFile("GET", "cached.txt").header("If-None-Match", etag));

        assertEquals(304, notModified.getStatusCode());
        assertNull(notModified.getBody());
        assertEquals(etag, notModified.getHeaders().get("ETag"));
    }

    @Test
    void refusesASecondFileOfTheSameName() {
        call(create, createRequest("twice.txt", "one"));

        APIGatewayProxyResponseEvent conflict = call(create, createRequest("twice.txt", "two"));

        assertEquals(409, conflict.getStatusCode());
        assertEquals("application/problem+json", conflict.getHeaders().get("Content-Type"));
        assertEquals("urn:hello-serverless:problem:already-exists", json(conflict).get("type").getAsString());
        assertEquals("one", text(call(read, Events.onFile("GET", "twice.txt"))));
    }

    @Test
    void answersBadInputWithAProblemNamingTheRequest() {
        Events badName = createRequest("a/b", "x");
        APIGatewayProxyResponseEvent response = call(create, badName);

        assertEquals(400, response.getStatusCode());
        JsonObject problem = json(response);
        assertEquals("urn:hello-serverless:problem:invalid-name", problem.get("type").getAsString());
        assertEquals(400, problem.get("status").getAsInt());
        assertEquals(badName.requestId(), problem.get("instance").getAsString());
        assertTrue(problem.get("detail").getAsString().contains("'/'"));
    }

    @Test
    void refusesContentThatIsNotPlainText() {
        APIGatewayProxyResponseEvent json = call(create, Events.request("POST", "/v1/files", "/v1/files")
                .query("name", "data.json").header("Content-Type", "application/json").body("{}".getBytes(StandardCharsets.UTF_8)));
        APIGatewayProxyResponseEvent latin1 = call(create, Events.request("POST", "/v1/files", "/v1/files")
                .query("name", "latin1.txt").header("Content-Type", "text/plain; charset=iso-8859-1").body(new byte[] {'x'}));
        APIGatewayProxyResponseEvent binary = call(create, Events.request("POST", "/v1/files", "/v1/files")
                .query("name", "binary.txt").header("Content-Type", "text/plain").body(new byte[] {(byte) 0xC3, 0x28}));

        assertEquals(415, json.getStatusCode());
        assertEquals(415, latin1.getStatusCode());
        assertEquals(415, binary.getStatusCode());
        assertEquals(404, call(read, Events.onFile("GET", "binary.txt")).getStatusCode(), "nothing was stored");
    }

    @Test
    void refusesAFileOverTheSizeLimit() {
        byte[] tooLarge = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(tooLarge, (byte) 'a');

        APIGatewayProxyResponseEvent response = call(create, Events.request("POST", "/v1/files", "/v1/files")
                .query("name", "big.txt").header("Content-Type", "text/plain").body(tooLarge));

        assertEquals(413, response.getStatusCode());
        assertEquals(404, call(read, Events.onFile("GET", "big.txt")).getStatusCode());
    }

    @Test
    void listsPageByPageWithAnOpaqueCursor() {
        for (String name : new String[] {"page-a", "page-b", "page-c"}) {
            call(create, createRequest(name, name));
        }

        JsonObject first = json(call(list, Events.request("GET", "/v1/files", "/v1/files").query("prefix", "page-").query("limit", "2")));
        assertEquals(2, first.getAsJsonArray("items").size());
        assertEquals("page-a", first.getAsJsonArray("items").get(0).getAsJsonObject().get("name").getAsString());
        String cursor = first.get("nextCursor").getAsString();

        JsonObject second = json(call(list, Events.request("GET", "/v1/files", "/v1/files")
                .query("prefix", "page-").query("limit", "2").query("cursor", cursor)));
        assertEquals(1, second.getAsJsonArray("items").size());
        assertEquals("page-c", second.getAsJsonArray("items").get(0).getAsJsonObject().get("name").getAsString());
        assertTrue(second.get("nextCursor").isJsonNull());
    }

    @Test
    void refusesALimitOutOfRangeAndACursorItDidNotIssue() {
        assertEquals(400, call(list, Events.request("GET", "/v1/files", "/v1/files").query("limit", "0")).getStatusCode());
        assertEquals(400, call(list, Events.request("GET", "/v1/files", "/v1/files").query("cursor", "forged")).getStatusCode());
    }

    @Test
    void reportsEveryDependencyUpWithoutNamingHosts() {
        APIGatewayProxyResponseEvent response = call(health, Events.request("GET", "/v1/health", "/v1/health"));

        assertEquals(200, response.getStatusCode());
        JsonObject report = json(response);
        assertEquals("ok", report.get("status").getAsString());
        for (String dependency : new String[] {"database", "storage", "cache", "secrets"}) {
            assertEquals("up", report.getAsJsonObject("checks").getAsJsonObject(dependency).get("status").getAsString(), dependency);
        }
        assertFalse(response.getBody().contains("127.0.0.1"));
    }

    @Test
    void logsOneJsonLinePerRequestWithoutContentOrNames() {
        Events request = createRequest("private-diary.txt", "my secret thoughts");
        call(create, request);

        String line = LOG.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains(request.requestId())).findFirst().orElseThrow();
        JsonObject entry = JsonParser.parseString(line).getAsJsonObject();
        assertEquals("create-file", entry.get("function").getAsString());
        assertEquals("/v1/files", entry.get("route").getAsString());
        assertEquals(201, entry.get("status").getAsInt());
        assertTrue(entry.get("latencyMs").getAsDouble() > 0);
        assertFalse(line.contains("secret thoughts"));
        assertFalse(line.contains("private-diary"));
    }

    /**
     * Each request's line is a valid Embedded Metric Format document with the function as its
     * only dimension, and carries every metric its function reports, from real requests on real
     * servers: a read from the store, the same read from the in-process cache, a write, a list.
     */
    @Test
    void writesItsMetricsInTheLogLineAsEmbeddedMetricFormat() throws InterruptedException {
        Events created = createRequest("metrics-write.txt", "measured");
        call(create, created);
        // A write keeps its name uncached for the invalidation window; then a read fills the cache.
        long window = CacheSettings.defaults().invalidationWindow().toNanos() + 500_000_000L;
        Thread.sleep(Math.max(0, (metricsFileWritten + window - System.nanoTime()) / 1_000_000));
        Events fromStore = Events.onFile("GET", "metrics.txt");
        call(read, fromStore);
        Events fromCache = Events.onFile("GET", "metrics.txt");
        call(read, fromCache);
        Events listed = Events.request("GET", "/v1/files", "/v1/files").query("prefix", "metrics");
        call(list, listed);

        EmfDocument write = emf(created);
        assertEquals(1, write.metric("Requests"));
        assertEquals(1, write.metric("Status2xx"));
        assertEquals(0, write.metric("Status4xx") + write.metric("Status5xx"));
        assertTrue(write.metric("Latency") > 0);
        assertTrue(write.metric("DatabaseTime") > 0, "the insert");
        assertTrue(write.metric("StorageTime") > 0, "the blob");
        assertTrue(write.metric("CacheTime") >= 0);
        assertTrue(write.metric("SecretsTime") >= 0);

        EmfDocument miss = emf(fromStore);
        assertEquals(List.of(0.0, 0.0, 1.0), List.of(miss.metric("CacheL1Hits"), miss.metric("CacheL2Hits"), miss.metric("StoreReads")));
        assertTrue(miss.metric("DatabaseTime") > 0 && miss.metric("StorageTime") > 0);
        EmfDocument hit = emf(fromCache);
        assertEquals(List.of(1.0, 0.0, 0.0), List.of(hit.metric("CacheL1Hits"), hit.metric("CacheL2Hits"), hit.metric("StoreReads")));
        assertEquals(0, hit.metric("DatabaseTime") + hit.metric("StorageTime"), "a cache hit touches neither store");

        assertEquals(0, hit.metric("ColdStarts"), "read-file answered before");
        EmfDocument page = emf(listed);
        assertTrue(page.metric("DatabaseTime") > 0);
        assertEquals(List.of(List.of("function")), page.dimensions());
    }

    /**
     * The scheduled purge also removes orphan blobs (no file points at them) older than the grace
     * period, and keeps younger ones and every blob a file points at; its line counts them.
     */
    @Test
    void purgesOrphanBlobsOlderThanTheGracePeriod() throws Exception {
        call(create, createRequest("kept-by-the-purge.txt", "still here"));
        io.helloserverless.adapters.s3.S3BlobStore bucket = environment.bucket();
        BlobKey old = BlobKey.forRevision(ETag.next());
        BlobKey young = BlobKey.forRevision(ETag.next());
        bucket.put(old, TextContent.ofUtf8("left by a failed write", ContentPolicy.defaults()));
        bucket.put(young, TextContent.ofUtf8("a write maybe in flight", ContentPolicy.defaults()));
        environment.backdate(old, Duration.ofHours(2));
        Context context = TestEnvironment.context();

        Map<String, Object> outcome = new PurgeExpiredFunction(environment.setup(
                new RequestLog(new PrintStream(LOG, true, StandardCharsets.UTF_8)))).handleRequest(Map.of(), context);

        assertEquals(1, outcome.get("orphansRemoved"));
        assertEquals(true, outcome.get("blobsAllExamined"));
        assertTrue(bucket.get(old).isEmpty());
        assertTrue(bucket.get(young).isPresent());
        assertEquals("still here", text(call(read, Events.onFile("GET", "kept-by-the-purge.txt"))));
        String line = LOG.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains(context.getAwsRequestId())).findFirst().orElseThrow();
        EmfDocument document = EmfDocument.parse(line);
        assertEquals(List.of(), document.violations(), line);
        assertEquals(1, document.metric("OrphanBlobsRemoved"));
        assertEquals(0, document.metric("OrphanBlobsFailed"));
        assertTrue(document.metric("BlobsExamined") >= 3);
    }

    private static EmfDocument emf(Events request) {
        String line = LOG.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains(request.requestId())).findFirst().orElseThrow();
        EmfDocument document = EmfDocument.parse(line);
        assertEquals(List.of(), document.violations(), line);
        return document;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
