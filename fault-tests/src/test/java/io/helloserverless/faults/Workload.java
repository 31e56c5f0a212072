package io.helloserverless.faults;

import io.helloserverless.faults.History.Kind;
import io.helloserverless.faults.History.Op;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The clients: writer threads, each the only writer of its own names, so that the writes of a
 * name are sequential and their order is known (creates, updates with {@code If-Match}, deletes
 * with {@code If-Match}, creates again; each write's content is unique, {@code name#seq}), and
 * reader threads reading random names and, now and then, a page of the listing. Every request
 * goes to one of the two servers at random and is recorded in the {@link History}.
 */
final class Workload {

    static final int NAMES = 64;
    static final int WRITERS = 4;
    static final int READERS = 4;
    static final String PREFIX = "fault-";
    /** Longer than any function's timeout (28 s): a request that takes this long hangs. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(35);

    /** One write in this many goes to a cold name. */
    private static final int COLD_WRITES = 20;
    private static final Duration WRITER_PAUSE = Duration.ofMillis(15);
    private static final Duration READER_PAUSE = Duration.ofMillis(10);
    /** After an unanswered request, so a dead server costs no busy loop. */
    private static final Duration ERROR_PAUSE = Duration.ofMillis(100);

    private final List<ServerProcess> servers;
    private final History history;
    private final long seed;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    Workload(List<ServerProcess> servers, History history, long seed) {
        this.servers = List.copyOf(servers);
        this.history = history;
        this.seed = seed;
    }

    static String name(int index) {
        return String.format(java.util.Locale.ROOT, "%s%02d.txt", PREFIX, index);
    }

    void start() {
        running = true;
        for (int w = 0; w < WRITERS; w++) {
            List<String> own = new ArrayList<>();
            for (int n = w; n < NAMES; n += WRITERS) {
                own.add(name(n));
            }
            Writer writer = new Writer(own, new Random(seed + w));
            threads.add(Thread.ofPlatform().name("writer-" + w).start(writer::run));
        }
        for (int r = 0; r < READERS; r++) {
            Random random = new Random(seed + 100 + r);
            threads.add(Thread.ofPlatform().name("reader-" + r).start(() -> readLoop(random)));
        }
    }

    /** Lets every request in flight finish (each bounded by the request timeout). */
    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private void readLoop(Random random) {
        while (running) {
            int instance = random.nextInt(servers.size());
            Op op = random.nextInt(25) == 0
                    ? list(instance)
                    : read(name(random.nextInt(NAMES)), instance);
            pause(op.answered() ? READER_PAUSE : ERROR_PAUSE);
        }
    }

    /** What a writer believes of one of its names. */
    private enum Known { ABSENT, PRESENT, UNKNOWN }

    private final class Writer {
        private final List<String> names;
        private final Random random;
        private final Known[] known;
        private final String[] etags;
        private final int[] sequence;

        Writer(List<String> names, Random random) {
            this.names = names;
            this.random = random;
            this.known = new Known[names.size()];
            java.util.Arrays.fill(known, Known.ABSENT);
            this.etags = new String[names.size()];
            this.sequence = new int[names.size()];
        }

        void run() {
            // First every name once, so that the cold ones exist (and get cached) before the first fault.
            for (int i = 0; i < names.size() && running; i++) {
                Op op = created(i, create(names.get(i), names.get(i) + "#" + (++sequence[i]) + "\n", random.nextInt(servers.size())));
                pause(op.answered() ? WRITER_PAUSE : ERROR_PAUSE);
            }
            int hot = names.size() / 2;
            while (running) {
                // Half the names hot, half cold: a cold name can go unwritten for tens of seconds,
                // so a revision left behind in a cache by a fault stays visible long enough to be seen.
                int i = random.nextInt(COLD_WRITES) == 0 ? hot + random.nextInt(names.size() - hot) : random.nextInt(hot);
                String name = names.get(i);
                int instance = random.nextInt(servers.size());
                Op op = switch (known[i]) {
                    // After an unknown outcome, learn the state first (a stale answer costs a 409 or 412, then again).
                    case UNKNOWN -> learn(i, read(name, instance));
                    case ABSENT -> created(i, create(name, name + "#" + (++sequence[i]) + "\n", instance));
                    case PRESENT -> random.nextInt(6) == 0
                            ? deleted(i, delete(name, etags[i], instance))
                            : updated(i, update(name, name + "#" + (++sequence[i]) + "\n", etags[i], instance));
                };
                pause(op.answered() ? WRITER_PAUSE : ERROR_PAUSE);
            }
        }

        private Op learn(int i, Op read) {
            if (read.status() == 200) {
                present(i, read.etag());
            } else if (read.status() == 404) {
                known[i] = Known.ABSENT;
            }
            return read;
        }

        private Op created(int i, Op op) {
            if (op.status() == 201) {
                present(i, op.etag());
            } else if (op.status() != History.NOT_CONNECTED) {
                known[i] = Known.UNKNOWN;
            }
            return op;
        }

        private Op updated(int i, Op op) {
            if (op.status() == 200) {
                present(i, op.etag());
            } else if (op.status() != History.NOT_CONNECTED) {
                known[i] = Known.UNKNOWN;
            }
            return op;
        }

        private Op deleted(int i, Op op) {
            if (op.status() == 204) {
                known[i] = Known.ABSENT;
                etags[i] = null;
            } else if (op.status() != History.NOT_CONNECTED) {
                known[i] = Known.UNKNOWN;
            }
            return op;
        }

        private void present(int i, String etag) {
            known[i] = etag == null ? Known.UNKNOWN : Known.PRESENT;
            etags[i] = etag;
        }
    }

    Op read(String name, int instance) {
        return send(Kind.READ, name, instance, HttpRequest.newBuilder(servers.get(instance).uri(path(name))).GET(),
                null, null);
    }

    private Op list(int instance) {
        return send(Kind.LIST, null, instance,
                HttpRequest.newBuilder(servers.get(instance).uri("/v1/files?prefix=" + PREFIX + "&limit=100")).GET(),
                null, null);
    }

    private Op create(String name, String content, int instance) {
        String query = "/v1/files?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        return send(Kind.CREATE, name, instance, HttpRequest.newBuilder(servers.get(instance).uri(query))
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString(content)), content, null);
    }

    private Op update(String name, String content, String etag, int instance) {
        return send(Kind.UPDATE, name, instance, HttpRequest.newBuilder(servers.get(instance).uri(path(name)))
                .header("Content-Type", "text/plain").header("If-Match", etag).PUT(BodyPublishers.ofString(content)),
                content, etag);
    }

    private Op delete(String name, String etag, int instance) {
        return send(Kind.DELETE, name, instance, HttpRequest.newBuilder(servers.get(instance).uri(path(name)))
                .header("If-Match", etag).DELETE(), null, etag);
    }

    private static String path(String name) {
        return "/v1/files/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Op send(Kind kind, String name, int instance, HttpRequest.Builder request, String written, String ifMatch) {
        long id = history.nextId();
        long start = history.now();
        Op op;
        try {
            HttpResponse<String> response = servers.get(instance).client()
                    .send(request.timeout(REQUEST_TIMEOUT).build(), BodyHandlers.ofString());
            op = new Op(id, kind, name, instance, start, history.now(), response.statusCode(),
                    response.headers().firstValue("ETag").orElse(null),
                    kind == Kind.READ ? response.body() : null, written, ifMatch,
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("Retry-After").isPresent(),
                    response.statusCode() >= 500 ? response.body() : null);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            op = unanswered(id, kind, name, instance, start, History.NOT_CONNECTED, written, ifMatch, e);
        } catch (HttpTimeoutException e) {
            op = unanswered(id, kind, name, instance, start, History.TIMED_OUT, written, ifMatch, e);
        } catch (IOException e) {
            op = unanswered(id, kind, name, instance, start, History.CONNECTION_LOST, written, ifMatch, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            op = unanswered(id, kind, name, instance, start, History.CONNECTION_LOST, written, ifMatch, e);
        }
        history.add(op);
        return op;
    }

    private Op unanswered(long id, Kind kind, String name, int instance, long start, int status, String written,
                          String ifMatch, Exception e) {
        return new Op(id, kind, name, instance, start, history.now(), status, null, null, written, ifMatch, null,
                false, e.toString());
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
