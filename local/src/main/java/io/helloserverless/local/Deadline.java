package io.helloserverless.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How long one request may keep its connection waiting, from its request line on: on the client
 * (headers, body), on its function, or on the client again (taking the response). Each wait has
 * the whole timeout afresh; the wait for a free execution environment is not counted (the pool
 * bounds it and answers {@code 503} itself).
 *
 * <p>When the time is up and nothing was answered yet, the deadline answers: {@code 408} when the
 * client kept it waiting, {@code 504} when the function did (as API Gateway does when its
 * integration times out; the function runs on, and its answer is thrown away), then closes the
 * connection. When the answer had begun (a client that does not read it), the connection is closed.
 * Helidon's own idle timeout covers the time before a request line is complete (the handshake too).
 *
 * <p>One {@link Watch} per server looks at the running deadlines a few times a second: a request
 * only writes a field and a set entry, where a timer task per request would cost a lock and a
 * wake-up of the timer's thread, and a thread per request a hand-over.
 */
final class Deadline {

    /** The interval between two looks at the running deadlines: how late an expiry may come. */
    static final Duration TICK = Duration.ofMillis(100);

    private static final long PAUSED = Long.MAX_VALUE;

    /**
     * The deadline of the request the current thread serves: Helidon reads, routes and answers a
     * connection's requests, one after the other, on the connection's own (virtual) thread.
     */
    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private enum Waiting { CLIENT, FUNCTION, RESPONSE }

    private final Watch watch;
    private final ConnectionContext connection;
    private final boolean head;
    /** Each written under this object's lock. */
    private long expiresAt;
    private Waiting waiting = Waiting.CLIENT;
    private boolean answered;

    private Deadline(Watch watch, ConnectionContext connection, boolean head) {
        this.watch = watch;
        this.connection = connection;
        this.head = head;
    }

    /** The current thread's deadline, if it serves a request under one. */
    static Deadline current() {
        return CURRENT.get();
    }

    /** Ends the current thread's deadline, if any (a request answered or refused). */
    static void endCurrent() {
        Deadline deadline = CURRENT.get();
        if (deadline != null) {
            deadline.end();
        }
    }

    /** Stops it for good and forgets it. */
    void end() {
        synchronized (this) {
            expiresAt = PAUSED;
        }
        watch.running.remove(this);
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
    }

    /** The clock stops: the request waits for an execution environment, which the pool bounds itself. */
    synchronized void pause() {
        expiresAt = PAUSED;
    }

    /** The function runs: it has the whole timeout, then the client gets a {@code 504}. */
    synchronized void function() {
        waiting = Waiting.FUNCTION;
        arm();
    }

    /**
     * The caller is about to answer, and has the whole timeout to write it; false when the deadline
     * answered already (the caller must then not write: the connection is closed).
     */
    synchronized boolean answer() {
        if (answered) {
            return false;
        }
        answered = true;
        waiting = Waiting.RESPONSE;
        arm();
        return true;
    }

    private void arm() {
        expiresAt = System.nanoTime() + watch.timeout.toNanos();
    }

    private void expireIfDue(long now) {
        Waiting expired;
        boolean answer;
        synchronized (this) {
            if (expiresAt == PAUSED || now - expiresAt < 0) {
                return;
            }
            expiresAt = PAUSED;
            expired = waiting;
            answer = !answered;
            answered = true;
        }
        watch.running.remove(this);
        // Off the watch's thread: a write or a TLS close may block on a client.
        Thread.ofVirtual().start(() -> expire(expired, answer));
    }

    private void expire(Waiting expired, boolean answer) {
        try {
            if (answer) {
                boolean function = expired == Waiting.FUNCTION;
                APIGatewayProxyResponseEvent problem = ApiGatewayBridge.gatewayProblem(function ? 504 : 408,
                        function ? "the function did not answer within " + watch.timeout.toSeconds() + " s"
                                : "the request was not received within " + watch.timeout.toSeconds() + " s",
                        UUID.randomUUID().toString(), Map.of("Connection", "close"));
                connection.dataWriter().writeNow(BufferData.create(rawResponse(problem, head)));
            }
        } catch (RuntimeException e) {
            // the client went away: nobody is left to answer
        } finally {
            try {
                connection.serverSocket().close();
            } catch (RuntimeException e) {
                // closed already
            }
        }
    }

    /** A whole HTTP/1.1 response as bytes, for the one moment the server's response object belongs to another thread. */
    static byte[] rawResponse(APIGatewayProxyResponseEvent response, boolean head) {
        byte[] body = head || response.getBody() == null ? new byte[0] : response.getBody().getBytes(StandardCharsets.UTF_8);
        StringBuilder text = new StringBuilder("HTTP/1.1 ").append(response.getStatusCode()).append(' ')
                .append(io.helidon.http.Status.create(response.getStatusCode()).reasonPhrase()).append("\r\n");
        response.getHeaders().forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        text.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] start = text.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[start.length + body.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        return all;
    }

    /** The server's deadlines, all of {@code timeout}, and the thread that ends the expired ones. */
    static final class Watch implements AutoCloseable {

        private final Duration timeout;
        private final Set<Deadline> running = ConcurrentHashMap.newKeySet();
        private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
                runnable -> Thread.ofPlatform().daemon().name("request-deadlines").unstarted(runnable));

        Watch(Duration timeout) {
            this.timeout = timeout;
            ticks.scheduleWithFixedDelay(this::expireDue, TICK.toNanos(), TICK.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** A deadline for the request whose request line the calling (connection's) thread has just read. */
        Deadline start(ConnectionContext connection, boolean head) {
            endCurrent();
            Deadline deadline = new Deadline(this, connection, head);
            synchronized (deadline) {
                deadline.arm();
            }
            running.add(deadline);
            CURRENT.set(deadline);
            return deadline;
        }

        private void expireDue() {
            long now = System.nanoTime();
            running.forEach(deadline -> deadline.expireIfDue(now));
        }

        @Override
        public void close() {
            ticks.shutdownNow();
        }
    }
}
