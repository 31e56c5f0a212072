package io.helloserverless.benchmarks.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * What the managed Java runtime does in a fresh execution environment, and no more: construct the
 * handler (init), pick the serialiser its {@code RequestHandler} type implies, deserialise the
 * event, handle it, serialise the response. Run in a child JVM whose class path is the function's
 * {@code lib/*} plus this class and {@code aws-lambda-java-serialization}. Prints one {@code COLD}
 * line of phase durations; with a repeat count, handles the event that many times more and prints
 * the heap after a GC and the resident set.
 *
 * <p>Arguments: handler class, event file, optional repeat count.
 */
public final class FakeRuntime {

    private FakeRuntime() {
    }

    public static void main(String[] args) throws Throwable {
        long started = System.nanoTime();
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        int repeat = args.length > 2 ? Integer.parseInt(args[2]) : 0;

        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        Marks.Initialised.mark();
        long initialised = System.nanoTime();
        Invoker invoker = Invoker.of(handler);
        long serialiserReady = System.nanoTime();

        byte[] response = invoker.invoke(event);
        long handled = System.nanoTime();
        Marks.Handled.mark();
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("\"statusCode\"\\s*:\\s*(\\d+)")
                .matcher(new String(response, java.nio.charset.StandardCharsets.UTF_8));
        String status = code.find() ? code.group(1) : "done";
        System.out.printf("COLD init=%.1f serialiser=%.1f invoke=%.1f main=%.1f status=%s%n",
                ms(initialised - started), ms(serialiserReady - initialised), ms(handled - serialiserReady),
                ms(handled - started), status);
        if (repeat > 0) {
            for (int i = 0; i < repeat; i++) {
                invoker.invoke(event);
            }
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            System.out.printf("MEMORY heapAfterGc=%d rss=%d peakRss=%d%n", runtime.totalMemory() - runtime.freeMemory(),
                    procStatus("VmRSS"), procStatus("VmHWM"));
        }
        System.out.flush();
        if (Boolean.getBoolean("fakeruntime.exit")) {
            // A normal exit, for -XX:ArchiveClassesAtExit to write its archive.
            System.exit(0);
        }
        // Clients' non-daemon threads and shutdown hooks are not what is measured.
        Runtime.getRuntime().halt(0);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static long procStatus(String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return -1;
    }

    /** Calls the handler the way its type asks for: objects through the runtime's serialisers, or raw streams. */
    private record Invoker(Object handler, PojoSerializer<Object> input, PojoSerializer<Object> output) {

        static Invoker of(Object handler) {
            if (handler instanceof RequestStreamHandler) {
                return new Invoker(handler, null, null);
            }
            Type[] types = requestHandlerTypes(handler.getClass());
            return new Invoker(handler, serialiser(types[0], handler), serialiser(types[1], handler));
        }

        @SuppressWarnings("unchecked")
        byte[] invoke(byte[] event) throws Exception {
            Context context = context();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (handler instanceof RequestStreamHandler stream) {
                stream.handleRequest(new ByteArrayInputStream(event), out, context);
            } else {
                Object result = ((RequestHandler<Object, Object>) handler).handleRequest(
                        input.fromJson(new ByteArrayInputStream(event)), context);
                output.toJson(result, out);
            }
            return out.toByteArray();
        }

        @SuppressWarnings("unchecked")
        private static PojoSerializer<Object> serialiser(Type type, Object handler) {
            Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
            if (LambdaEventSerializers.isLambdaSupportedEvent(raw.getName())) {
                return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(raw, handler.getClass().getClassLoader());
            }
            return (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(type);
        }

        private static Type[] requestHandlerTypes(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Type i : c.getGenericInterfaces()) {
                    if (i instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                        return p.getActualTypeArguments();
                    }
                }
            }
            throw new IllegalArgumentException(type + " is not a RequestHandler");
        }

        private static Context context() {
            String id = UUID.randomUUID().toString();
            return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getAwsRequestId" -> id;
                        case "getRemainingTimeInMillis" -> 30_000;
                        case "getFunctionName" -> "benchmark";
                        default -> null;
                    });
        }
    }
}
