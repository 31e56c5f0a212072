package io.helloserverless.lambda.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.adapters.redis.CacheSettings;
import io.helloserverless.lambda.Functions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each API function's worst path, every remote call on it taking as long as its timeout allows,
 * fits inside the function's Lambda timeout (terraform/locals.tf) with a second left to answer
 * 503 and write the log line (docs/adr/0007-time-budget.md). The paths:
 * <ul>
 *   <li>secrets: the login read, and read again once after the database refused it;</li>
 *   <li>database read: an idle connection validated, a new one opened, the statement failing
 *       fast on a lost connection, opened again and run again until the socket timeout;</li>
 *   <li>database write: validated, opened, the statement until the socket timeout, then the
 *       unknown outcome looked up on a new connection;</li>
 *   <li>cache: its login read and the connection, read again and reconnected once after Redis refused
 *       it, then three commands before the breaker opens;</li>
 *   <li>storage: each call with its retries.</li>
 * </ul>
 */
class TimeBudgetTest {

    private static final Duration HEADROOM = Duration.ofSeconds(1);

    private static final Duration SECRETS = Timeouts.SECRETS_CALL.multipliedBy(2);
    private static final Duration DATABASE_READ = Timeouts.DATABASE_CONNECT.multipliedBy(3).plus(Timeouts.DATABASE_SOCKET);
    private static final Duration DATABASE_WRITE = Timeouts.DATABASE_CONNECT.multipliedBy(3).plus(Timeouts.DATABASE_SOCKET.multipliedBy(2));
    private static final Duration CACHE = Timeouts.SECRETS_CALL.plus(CacheSettings.defaults().connectTimeout()).multipliedBy(2)
            .plus(CacheSettings.defaults().commandTimeout().multipliedBy(3));
    private static final Duration STORAGE = Timeouts.STORAGE_CALL;

    static Map<String, Duration> worstPaths() {
        Map<String, Duration> paths = new LinkedHashMap<>();
        paths.put("read-file", SECRETS.plus(DATABASE_READ).plus(CACHE).plus(STORAGE));
        paths.put("list-files", SECRETS.plus(DATABASE_READ));
        // The blob is written first; a failed commit removes it again.
        paths.put("create-file", SECRETS.plus(STORAGE).plus(DATABASE_WRITE).plus(STORAGE).plus(CACHE));
        paths.put("update-file", SECRETS.plus(STORAGE).plus(DATABASE_WRITE).plus(STORAGE).plus(CACHE));
        paths.put("delete-file", SECRETS.plus(DATABASE_WRITE).plus(STORAGE).plus(CACHE));
        // The probes run side by side under one deadline.
        paths.put("health", HealthModule.DEADLINE);
        return paths;
    }

    @Test
    void everyApiFunctionsWorstPathFitsItsTimeout() throws Exception {
        Map<String, Integer> timeouts = terraformTimeouts();
        assertEquals(Functions.api().stream().map(Functions.Function::name).collect(Collectors.toSet()),
                worstPaths().keySet(), "every API function's worst path is written out above, and only theirs");
        worstPaths().forEach((function, worst) -> {
            Duration timeout = Duration.ofSeconds(timeouts.get(function));
            System.out.printf("time budget: %-12s worst path %5.2f s, timeout %3d s%n",
                    function, worst.toMillis() / 1000.0, timeout.toSeconds());
            assertTrue(worst.plus(HEADROOM).compareTo(timeout) <= 0,
                    function + ": worst path " + worst + " + " + HEADROOM + " does not fit its timeout " + timeout);
        });
    }

    @Test
    void theSocketTimeoutOutlastsTheStatementTimeout() {
        // Otherwise the driver gives up before the server cancels, and the backend runs on.
        assertTrue(Timeouts.DATABASE_SOCKET.compareTo(Timeouts.DATABASE_STATEMENT) > 0);
    }

    @Test
    void readsEveryFunctionsTimeoutFromTerraform() throws Exception {
        assertEquals(Functions.ALL.size(), terraformTimeouts().size(), "one timeout per function in locals.tf");
    }

    /** {@code name = { ... timeout = N ... }} in locals.tf's functions map. */
    static Map<String, Integer> terraformTimeouts() throws Exception {
        String locals = Files.readString(Path.of("..", "terraform", "locals.tf"));
        Matcher entry = Pattern.compile("(?s)\\n\\s{4}([a-z-]+) = \\{\\n(.*?)\\n\\s{4}}").matcher(locals);
        Map<String, Integer> timeouts = new LinkedHashMap<>();
        while (entry.find()) {
            Matcher timeout = Pattern.compile("\\btimeout\\s*=\\s*(\\d+)").matcher(entry.group(2));
            if (entry.group(2).contains("handler") && timeout.find()) {
                timeouts.put(entry.group(1), Integer.parseInt(timeout.group(1)));
            }
        }
        return timeouts;
    }
}
