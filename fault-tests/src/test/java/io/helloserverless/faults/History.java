package io.helloserverless.faults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The oracle's record: every request of the run as its client saw it, with start and end on one
 * monotonic clock (nanoseconds since the run began), and the faults with their times. The checks
 * read nothing else.
 */
final class History {

    /** What a request was. */
    enum Kind {
        CREATE, UPDATE, DELETE, READ, LIST;

        boolean isWrite() {
            return this == CREATE || this == UPDATE || this == DELETE;
        }
    }

    /** What became of a write, as far as the client can know. */
    enum Outcome {
        /** 2xx: durable, the oracle's truth. */
        ACKNOWLEDGED,
        /** 4xx (404, 409, 412), or never sent (connection refused): did not apply. */
        REJECTED,
        /** 5xx, timeout, connection lost after sending: may or may not have applied. */
        UNKNOWN
    }

    /** The request was not answered: refused before it was sent. */
    static final int NOT_CONNECTED = -1;
    /** The request was not answered: the connection failed after it was sent. */
    static final int CONNECTION_LOST = -2;
    /** The request was not answered within the client's timeout. */
    static final int TIMED_OUT = -3;

    /**
     * One request.
     *
     * @param status      HTTP status, or {@link #NOT_CONNECTED}, {@link #CONNECTION_LOST}, {@link #TIMED_OUT}
     * @param etag        the response's ETag header (null when none)
     * @param body        a read's body (null for other kinds)
     * @param written     a create's or update's content (null for other kinds)
     * @param contentType the response's Content-Type (null when none)
     */
    record Op(long id, Kind kind, String name, int instance, long start, long end, int status, String etag,
              String body, String written, String ifMatch, String contentType, boolean retryAfter, String error) {

        boolean answered() {
            return status > 0;
        }

        boolean succeeded() {
            return status >= 200 && status < 300;
        }

        Outcome outcome() {
            if (succeeded()) {
                return Outcome.ACKNOWLEDGED;
            }
            if (status == NOT_CONNECTED || (status >= 400 && status < 500)) {
                return Outcome.REJECTED;
            }
            return Outcome.UNKNOWN;
        }

        String statusLabel() {
            return switch (status) {
                case NOT_CONNECTED -> "refused";
                case CONNECTION_LOST -> "conn-lost";
                case TIMED_OUT -> "timeout";
                default -> Integer.toString(status);
            };
        }

        boolean overlaps(long from, long to) {
            return start <= to && end >= from;
        }

        @Override
        public String toString() {
            return "#" + id + " " + kind + " " + (name == null ? "" : name + " ") + "on " + Instances.label(instance)
                    + " at " + Seconds.of(start) + "-" + Seconds.of(end) + " s: " + statusLabel()
                    + (etag == null ? "" : " " + etag) + (error == null ? "" : " (" + error + ")");
        }
    }

    /**
     * A fault: injected, then healed (the dependency or server answers again); it lasts, with the
     * quiet period after it, until the next fault is injected.
     *
     * @param killedInstance the server killed in this phase, or -1
     */
    record Fault(String name, long injectedAt, long healedAt, int killedInstance) {
    }

    private final long origin = System.nanoTime();
    private final AtomicLong ids = new AtomicLong();
    private final Queue<Op> ops = new ConcurrentLinkedQueue<>();
    private final List<Fault> faults = new ArrayList<>();

    long now() {
        return System.nanoTime() - origin;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    void add(Op op) {
        ops.add(op);
    }

    synchronized void add(Fault fault) {
        faults.add(fault);
    }

    /** Every request, in the order they started. */
    List<Op> ops() {
        List<Op> all = new ArrayList<>(ops);
        all.sort(Comparator.comparingLong(Op::start).thenComparingLong(Op::id));
        return all;
    }

    /** Every request and fault, one a line, for a human reading a failure. */
    void write(java.nio.file.Path file) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        lines.add("id\tkind\tname\tserver\tstart_s\tend_s\tstatus\tetag\tif_match\tcontent\terror");
        for (Op op : ops()) {
            String content = op.written() != null ? op.written() : op.body();
            lines.add(String.join("\t", Long.toString(op.id()), op.kind().name(), String.valueOf(op.name()),
                    Instances.label(op.instance()), Seconds.of(op.start()), Seconds.of(op.end()), op.statusLabel(),
                    String.valueOf(op.etag()), String.valueOf(op.ifMatch()),
                    content == null ? "null" : content.length() > 80 ? "(" + content.length() + " chars)" : content.strip(),
                    op.error() == null ? "" : op.error().replaceAll("\\s+", " ")));
        }
        for (Fault fault : faults()) {
            lines.add("# fault " + fault.name() + " injected " + Seconds.of(fault.injectedAt()) + " s, healed "
                    + Seconds.of(fault.healedAt()) + " s");
        }
        java.nio.file.Files.write(file, lines);
    }

    synchronized List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** Times printed in seconds since the run began, as the table shows them. */
    static final class Seconds {
        private Seconds() {
        }

        static String of(long nanos) {
            return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e9);
        }
    }

    /** The servers are numbered 0 and 1 in the history, named a and b in messages. */
    static final class Instances {
        private Instances() {
        }

        static String label(int instance) {
            return instance < 0 ? "-" : String.valueOf((char) ('a' + instance));
        }
    }
}
