package io.helloserverless.benchmarks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.helloserverless.adapters.s3.S3BlobStore;
import io.helloserverless.adapters.s3.S3BlobStoreSettings;
import io.helloserverless.lambda.CreateFileFunction;
import io.helloserverless.lambda.ListFilesFunction;
import io.helloserverless.lambda.ReadFileFunction;
import io.helloserverless.lambda.UpdateFileFunction;
import io.helloserverless.lambda.ApiHandler;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.Setup;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.IntConsumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Warm latency per operation, in this process, through the handlers (event object in, response
 * out, request log formatted but not written), after a JIT warm-up; next to the raw client round
 * trips the operation needs (pgjdbc, the S3 client, Lettuce), measured in the same run.
 *
 * <p>A read miss is the first read of a file created more than the invalidation window (10 s)
 * earlier; an L2 hit is the second read, after the in-process TTL (2 s) ran out; an L1 hit is any
 * read after that of one file.
 */
final class WarmLatency {

    private static final int FILES = Integer.getInteger("warm.files", 1000);
    private static final int L1_READS = 20_000;
    private static final String CONTENT = "x".repeat(1023) + "\n";

    private final BenchEnvironment environment;
    private final PojoSerializer<APIGatewayProxyRequestEvent> runtime =
            LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class, WarmLatency.class.getClassLoader());
    private final List<String[]> rows = new ArrayList<>();

    WarmLatency(BenchEnvironment environment) {
        this.environment = environment;
    }

    void run() throws Exception {
        RequestLog quiet = new RequestLog(new PrintStream(OutputStream.nullOutputStream()));
        Setup setup = environment.setup(quiet);
        Handlers handlers = new Handlers(new CreateFileFunction(setup), new ReadFileFunction(setup),
                new UpdateFileFunction(setup), new ListFilesFunction(setup));
        String run = UUID.randomUUID().toString().substring(0, 6);
        try (RawClients floors = new RawClients(environment, run)) {
            warmUp(handlers, floors, run);
            measureCreates(handlers, floors, run);
            measureUpdates(handlers, floors, run);
            measureReads(handlers, floors, run);
            measureLists(handlers, floors);
        }
        printTable();
    }

    /** The four handlers measured, each built as its function builds it. */
    private record Handlers(CreateFileFunction create, ReadFileFunction read, UpdateFileFunction update, ListFilesFunction list) {
    }

    /** JIT warm-up on files of their own, every operation and every floor. */
    private void warmUp(Handlers handlers, RawClients floors, String run) {
        for (int i = 0; i < 1500; i++) {
            String name = "warm-" + run + "-" + i + ".txt";
            call(handlers.create(), ApiEvents.onFiles("POST").query("name", name).text(CONTENT).toJson());
            call(handlers.read(), ApiEvents.onFile("GET", name).toJson());
            call(handlers.update(), ApiEvents.onFile("PUT", name).text(CONTENT).toJson());
            call(handlers.list(), ApiEvents.onFiles("GET").query("limit", "100").toJson());
            floors.read(name);
            floors.redisGet();
        }
    }

    private void measureCreates(Handlers handlers, RawClients floors, String run) {
        List<APIGatewayProxyRequestEvent> creates = events(i -> ApiEvents.onFiles("POST").query("name", name(run, i)).text(CONTENT));
        measure("create", creates.size(), i -> call(handlers.create(), creates.get(i)));
        measure("create: floor = S3 put + PostgreSQL insert + Redis set", FILES, floors::create);
    }

    private void measureUpdates(Handlers handlers, RawClients floors, String run) {
        List<APIGatewayProxyRequestEvent> updates = events(i -> ApiEvents.onFile("PUT", "warm-" + run + "-" + i + ".txt").text(CONTENT));
        measure("update", updates.size(), i -> call(handlers.update(), updates.get(i)));
        measure("update: floor = PostgreSQL select + S3 put + PostgreSQL update + Redis set", FILES, floors::update);
    }

    /** A miss once the invalidation window has passed, an L2 hit once the in-process TTL has, then L1 hits of one file. */
    private void measureReads(Handlers handlers, RawClients floors, String run) throws InterruptedException {
        Thread.sleep(10_500);
        List<APIGatewayProxyRequestEvent> reads = events(i -> ApiEvents.onFile("GET", name(run, i)));
        measure("read, miss (both tiers)", reads.size(), i -> call(handlers.read(), reads.get(i)));
        measure("read, miss: floor = PostgreSQL select + S3 get", FILES, i -> floors.read(name(run, i)));
        Thread.sleep(2_500);
        measure("read, L2 hit (Redis)", reads.size(), i -> call(handlers.read(), reads.get(i)));
        floors.cacheFloorValue();
        measure("read, L2 hit: floor = Redis get", FILES, i -> floors.redisGet());
        APIGatewayProxyRequestEvent one = reads.get(0);
        measureRepeated("read, L1 hit (in-process)", L1_READS, () -> call(handlers.read(), one));
    }

    private void measureLists(Handlers handlers, RawClients floors) {
        APIGatewayProxyRequestEvent listing = runtime.fromJson(ApiEvents.onFiles("GET").query("limit", "100").toJson());
        measureRepeated("list, a page of 100", FILES, () -> call(handlers.list(), listing));
        measure("list: floor = PostgreSQL select of 101 rows", FILES, i -> floors.page());
    }

    /** The table, each operation's p50 divided by that of the floor row that follows it (none for L1 hits). */
    private void printTable() {
        System.out.printf("## Warm latency in-process (%d files of 1 KiB; %d L1 reads; µs)%n%n", FILES, L1_READS);
        System.out.println("| operation | p50 | p99 | p50 / floor p50 |");
        System.out.println("|---|---:|---:|---:|");
        double floor = 0;
        for (int i = rows.size() - 1; i >= 0; i--) {
            String[] row = rows.get(i);
            if (row[0].contains("floor")) {
                floor = Double.parseDouble(row[1]);
                row[3] = "";
            } else if (!row[0].contains("L1")) {
                row[3] = floor == 0 ? "" : String.format(Locale.ROOT, "%.2f", Double.parseDouble(row[1]) / floor);
                floor = 0;
            }
        }
        rows.forEach(r -> System.out.printf("| %s | %s | %s | %s |%n", r[0], r[1], r[2], r[3]));
        System.out.println();
    }

    private static String name(String run, int i) {
        return "file-" + run + "-" + i + ".txt";
    }

    private List<APIGatewayProxyRequestEvent> events(java.util.function.IntFunction<ApiEvents> event) {
        List<APIGatewayProxyRequestEvent> events = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            events.add(runtime.fromJson(event.apply(i).toJson()));
        }
        return events;
    }

    private void call(ApiHandler function, String json) {
        check(function.handleRequest(runtime.fromJson(json), context()));
    }

    private static void call(ApiHandler function, APIGatewayProxyRequestEvent event) {
        check(function.handleRequest(event, context()));
    }

    private static void check(APIGatewayProxyResponseEvent response) {
        if (response.getStatusCode() >= 300) {
            throw new IllegalStateException("status " + response.getStatusCode() + ": " + response.getBody());
        }
    }

    private void measure(String operation, int count, IntConsumer operationNumber) {
        double[] micros = new double[count];
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            operationNumber.accept(i);
            micros[i] = (System.nanoTime() - started) / 1e3;
        }
        record(operation, micros);
    }

    private void measureRepeated(String operation, int count, Runnable body) {
        measure(operation, count, i -> body.run());
    }

    private void record(String operation, double[] micros) {
        Stats stats = Stats.of(micros);
        rows.add(new String[] {operation, String.format(Locale.ROOT, "%.1f", stats.median()),
                String.format(Locale.ROOT, "%.1f", stats.p99()), ""});
    }

    private static final Context CONTEXT = newContext();

    /** One context for every call: making a proxy and a random id per call would be measured too. */
    private static Context context() {
        return CONTEXT;
    }

    /** A Lambda context of one invocation: only the request id and the time left matter to the handlers. */
    static Context newContext() {
        String id = UUID.randomUUID().toString();
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAwsRequestId" -> id;
                    case "getRemainingTimeInMillis" -> 30_000;
                    default -> null;
                });
    }

    /**
     * The floors: the raw client round trips an operation needs (pgjdbc, the S3 client, Lettuce),
     * on connections of their own; the floor rows are deleted on close.
     */
    private static final class RawClients implements AutoCloseable {

        private final BenchEnvironment environment;
        private final String run;
        private final S3Client s3;
        private final Connection db;
        private final PreparedStatement select;
        private final PreparedStatement insert;
        private final PreparedStatement replace;
        private final PreparedStatement page;

        RawClients(BenchEnvironment environment, String run) throws SQLException {
            this.environment = environment;
            this.run = run;
            this.s3 = S3BlobStore.newClient(S3BlobStoreSettings.forBucket(BenchEnvironment.BUCKET, BenchEnvironment.REGION)
                            .withLocalEndpoint(environment.s3.endpoint()),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(BenchEnvironment.LOCAL_KEYS.user(), BenchEnvironment.LOCAL_KEYS.password())));
            this.db = environment.runtimeConnection();
            this.select = db.prepareStatement(
                    "SELECT name, size, sha256, etag, version, created_at, updated_at, expires_at, blob_key FROM files WHERE name = ? AND expires_at > ?");
            this.insert = db.prepareStatement(
                    "INSERT INTO files VALUES (?, 1024, 'x', 'e', 1, now(), now(), now() + interval '1 day', ?) ON CONFLICT DO NOTHING");
            this.replace = db.prepareStatement(
                    "UPDATE files SET version = version + 1, etag = ?, blob_key = ? WHERE name = ? AND version = ?");
            this.page = db.prepareStatement(
                    "SELECT name, size, sha256, etag, version, created_at, updated_at, expires_at, blob_key FROM files "
                            + "WHERE name > ? AND expires_at > ? ORDER BY name LIMIT 101");
        }

        /** S3 put + PostgreSQL insert + Redis set. */
        void create(int i) {
            String key = putBlob();
            execute(insert, "floor-" + run + "-" + i, key);
            setMarker();
        }

        /** PostgreSQL select + S3 put + PostgreSQL update + Redis set, of the row {@link #create} made. */
        void update(int i) {
            String name = "floor-" + run + "-" + i;
            select(name);
            String key = putBlob();
            execute(replace, UUID.randomUUID().toString(), key, name, 1L);
            setMarker();
        }

        /** PostgreSQL select + S3 get. */
        void read(String name) {
            String key = select(name);
            if (key != null) {
                s3.getObjectAsBytes(b -> b.bucket(BenchEnvironment.BUCKET).key(key)).asByteArray();
            }
        }

        /** A value the size of a cached entry, for {@link #redisGet}. */
        void cacheFloorValue() {
            environment.redisConnection.sync().set(BenchEnvironment.NAMESPACE + "floor", new String(new byte[1400]));
        }

        void redisGet() {
            environment.redisConnection.sync().get(BenchEnvironment.NAMESPACE + "floor");
        }

        /** PostgreSQL select of 101 rows. */
        void page() {
            try {
                page.setString(1, "");
                page.setTimestamp(2, Timestamp.from(Instant.now()));
                try (ResultSet rows = page.executeQuery()) {
                    while (rows.next()) {
                        rows.getString(1);
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private String putBlob() {
            String key = UUID.randomUUID().toString();
            s3.putObject(b -> b.bucket(BenchEnvironment.BUCKET).key(key).contentType("text/plain; charset=utf-8"), RequestBody.fromString(CONTENT));
            return key;
        }

        private void setMarker() {
            environment.redisConnection.sync().set(BenchEnvironment.NAMESPACE + "floor-marker", "m");
        }

        private String select(String name) {
            try {
                select.setString(1, name);
                select.setTimestamp(2, Timestamp.from(Instant.now()));
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getString("blob_key") : null;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void execute(PreparedStatement statement, Object... values) {
            try {
                for (int i = 0; i < values.length; i++) {
                    statement.setObject(i + 1, values[i]);
                }
                statement.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws SQLException {
            try (db; s3; PreparedStatement cleanup = db.prepareStatement("DELETE FROM files WHERE name LIKE 'floor-%'")) {
                cleanup.execute();
            }
        }
    }
}
