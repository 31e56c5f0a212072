package io.helloserverless.benchmarks.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crac.Resource;

/**
 * SnapStart's restore path as far as a JVM without CRaC can run it: the handler constructed (init)
 * and its checkpoint hook run, as Lambda does before taking the snapshot; then its restore hook and
 * the first event, timed from the restore hook. The hooks are called directly on the handler (an
 * {@code org.crac.Resource}), since nothing here takes a snapshot: the process continues instead
 * of being restored, so what a real restore adds (Lambda's restoreDurationMs, pages of the snapshot
 * read on first touch) is not in these figures. Prints one {@code RESTORE} line; the function's
 * own request line, with the time spent in each dependency, precedes it on standard output.
 *
 * <p>Arguments: handler class, event file.
 */
public final class RestoreRuntime {

    private RestoreRuntime() {
    }

    public static void main(String[] args) throws Throwable {
        long started = System.nanoTime();
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        long initialised = System.nanoTime();
        ((Resource) handler).beforeCheckpoint(null);
        long checkpointed = System.nanoTime();

        Marks.Restoring.mark();
        long restoring = System.nanoTime();
        ((Resource) handler).afterRestore(null);
        long restored = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((RequestStreamHandler) handler).handleRequest(new ByteArrayInputStream(event), out, context());
        long handled = System.nanoTime();

        Matcher code = Pattern.compile("\"statusCode\"\\s*:\\s*(\\d+)").matcher(out.toString(StandardCharsets.UTF_8));
        System.out.printf("RESTORE init=%.1f checkpoint=%.1f restoreHook=%.1f firstEvent=%.1f restorePath=%.1f status=%s%n",
                ms(initialised - started), ms(checkpointed - initialised), ms(restored - restoring), ms(handled - restored),
                ms(handled - restoring), code.find() ? code.group(1) : "?");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static Context context() {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAwsRequestId" -> "restore-0000";
                    case "getRemainingTimeInMillis" -> 30_000;
                    case "getFunctionName" -> "benchmark";
                    default -> null;
                });
    }
}
