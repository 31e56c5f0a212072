package io.helloserverless.faults;

import io.helloserverless.faults.History.Fault;
import io.helloserverless.faults.History.Kind;
import io.helloserverless.faults.History.Op;
import io.helloserverless.faults.History.Outcome;
import io.helloserverless.faults.History.Seconds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the history and the final state say, against the oracle of acknowledged operations: lost
 * writes, reads whose body does not match their ETag, stale reads and how stale, failures that
 * are not a timely 503 problem, recovery after each fault, orphan blobs. Pure computation: the
 * suite asserts on its findings and prints its table.
 */
final class Checks {

    /** The documented bound on how long a replaced revision may be served. */
    static final Duration STALENESS_BOUND = Duration.ofSeconds(5);
    /**
     * Measurement slack on that bound. The measure already errs low (the acknowledgement is taken
     * when the response arrives, after the commit; the read's start before the request leaves),
     * so this only absorbs the expiry timers of other processes (Caffeine, Redis) and scheduling
     * delays on a loaded two-core machine.
     */
    static final Duration STALENESS_TOLERANCE = Duration.ofMillis(250);
    /** Every answer within API Gateway's integration limit, which every function's timeout stays under. */
    static final Duration TIME_BUDGET = Duration.ofSeconds(29);
    /** How long after a fault is healed each server must acknowledge a write again. */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    /** After a killed server is ready again, connections pooled before the kill may still fail this long. */
    static final Duration RESTART_GRACE = Duration.ofSeconds(2);

    /** What PostgreSQL holds for a name at the end, and the blob its row points at (null: missing). */
    record Stored(String etag, String blobKey, String content) {
    }

    record Stale(Op read, long stalenessNanos, Op supersededBy) {
        @Override
        public String toString() {
            return read + " served a revision replaced by " + supersededBy + ", " + Seconds.of(stalenessNanos) + " s stale";
        }
    }

    /** A window of the run: the warm-up, a fault with the quiet period after it, the final reads. */
    record Window(String name, long from, long to, Optional<Fault> fault) {
        boolean contains(long at) {
            return at >= from && at < to;
        }
    }

    /**
     * @param lost        names whose stored state (PostgreSQL and S3) is not their last acknowledged write's
     *                    (nor that of a later write of unknown outcome)
     * @param servedWrong final reads, after the staleness bound was waited out, that answer another state
     */
    record Findings(List<Window> windows, List<String> lost, List<String> servedWrong, Map<String, Integer> lostPerWindow,
                    List<String> mismatches, List<Stale> stale, List<String> failures,
                    Map<String, List<String>> unrecovered, Map<String, String> recovery, List<String> orphans,
                    int rows, int blobs, List<Op> ops) {

        long maxStalenessNanos() {
            return stale.stream().mapToLong(Stale::stalenessNanos).max().orElse(0);
        }

        /** The per-phase table, one line per window. */
        String table() {
            StringBuilder out = new StringBuilder();
            String format = "%-22s %9s %9s %6s %5s %6s %9s  %-44s %s%n";
            out.append(String.format(java.util.Locale.ROOT, format, "phase", "window s", "requests", "acked", "lost",
                    "stale", "max stale", "statuses during the fault", "recovered after healing (a, b)"));
            for (Window window : windows) {
                List<Op> in = ops.stream().filter(op -> window.contains(op.start())).toList();
                // A stale read counts where the write it missed was acknowledged: the fault that hid it.
                List<Stale> staleIn = stale.stream().filter(s -> window.contains(s.supersededBy().end())).toList();
                long max = staleIn.stream().mapToLong(Stale::stalenessNanos).max().orElse(0);
                String statuses = window.fault().map(fault -> statuses(ops.stream()
                        .filter(op -> op.overlaps(fault.injectedAt(), fault.healedAt())).toList())).orElse("-");
                out.append(String.format(java.util.Locale.ROOT, format, window.name(),
                        Seconds.of(window.from()).replaceAll("\\.\\d+$", "") + "-"
                                + (window.to() == Long.MAX_VALUE ? "" : Seconds.of(window.to()).replaceAll("\\.\\d+$", "")),
                        in.size(), in.stream().filter(op -> op.kind().isWrite() && op.succeeded()).count(),
                        lostPerWindow.getOrDefault(window.name(), 0), staleIn.size(),
                        staleIn.isEmpty() ? "-" : Seconds.of(max) + " s", statuses,
                        recovery.getOrDefault(window.name(), "-")));
            }
            out.append(String.format(java.util.Locale.ROOT,
                    "total: %d requests, %d acknowledged writes, %d lost, %d final reads not the last state, %d body/ETag mismatches, %d stale reads (longest %s s),"
                            + " %d failures not a timely 503, %d orphan blobs of %d (%d rows)%n",
                    ops.size(), ops.stream().filter(op -> op.kind().isWrite() && op.succeeded()).count(), lost.size(),
                    servedWrong.size(), mismatches.size(), stale.size(), Seconds.of(maxStalenessNanos()), failures.size(), orphans.size(),
                    blobs, rows));
            return out.toString();
        }

        private static String statuses(List<Op> ops) {
            Map<String, Long> counts = new TreeMap<>();
            ops.forEach(op -> counts.merge(op.statusLabel(), 1L, Long::sum));
            return counts.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                    .reduce((a, b) -> a + " " + b).orElse("none");
        }
    }

    private Checks() {
    }

    /**
     * @param stoppedAt when the workload stopped; the ops after it are the final reads
     * @param stored    what PostgreSQL (and S3 for the content) holds at the end, by name
     * @param bucket    every key in the bucket at the end
     */
    static Findings analyse(History history, long stoppedAt, Map<String, Stored> stored, Set<String> bucket) {
        List<Op> ops = history.ops();
        List<Fault> faults = history.faults();
        List<Window> windows = windows(faults, stoppedAt);
        Map<String, NameLog> names = new TreeMap<>();
        for (int n = 0; n < Workload.NAMES; n++) {
            names.put(Workload.name(n), new NameLog());
        }
        ops.stream().filter(op -> op.kind().isWrite()).forEach(op -> names.get(op.name()).add(op));

        List<String> mismatches = new ArrayList<>();
        List<Stale> stale = new ArrayList<>();
        for (Op read : ops) {
            if (read.kind() == Kind.READ && (read.status() == 200 || read.status() == 404)) {
                names.get(read.name()).check(read, mismatches, stale);
            }
        }

        List<String> lost = new ArrayList<>();
        List<String> servedWrong = new ArrayList<>();
        Map<String, Integer> lostPerWindow = new HashMap<>();
        for (var entry : names.entrySet()) {
            String name = entry.getKey();
            NameLog log = entry.getValue();
            String last = "last acknowledged " + log.lastAcknowledged().map(Op::toString).orElse("none");
            Stored row = stored.get(name);
            Optional<String> inStorage = row != null && row.content() == null
                    ? Optional.of("the row points at blob " + row.blobKey() + ", which is not in the bucket")
                    : log.checkFinal(row == null ? null : new State(row.etag(), row.content()), "PostgreSQL/S3");
            inStorage.ifPresent(problem -> {
                lost.add(name + ": " + problem + "; " + last);
                String window = log.lastAcknowledged()
                        .flatMap(op -> windows.stream().filter(w -> w.contains(op.end())).findFirst())
                        .map(Window::name).orElse(windows.getLast().name());
                lostPerWindow.merge(window, 1, Integer::sum);
            });
            ops.stream().filter(op -> op.start() >= stoppedAt && name.equals(op.name()))
                    .filter(op -> op.status() == 200 || op.status() == 404)
                    .forEach(read -> log.checkFinal(read.status() == 404 ? null : new State(read.etag(), read.body()),
                            "server " + History.Instances.label(read.instance()))
                            .ifPresent(problem -> servedWrong.add(name + ": " + problem
                                    + (inStorage.isEmpty() ? " (PostgreSQL/S3 hold the right one)" : "") + "; " + last)));
        }

        List<String> failures = new ArrayList<>();
        for (Op op : ops) {
            failure(op, faults).ifPresent(failures::add);
        }

        Map<String, String> recovery = new LinkedHashMap<>();
        Map<String, List<String>> unrecovered = new LinkedHashMap<>();
        for (Window window : windows) {
            window.fault().ifPresent(fault -> {
                List<String> figures = new ArrayList<>();
                for (int instance = 0; instance < 2; instance++) {
                    int server = instance;
                    Optional<Op> first = ops.stream()
                            .filter(op -> op.instance() == server && op.kind().isWrite() && op.succeeded())
                            .filter(op -> op.start() >= fault.healedAt() && op.start() < window.to())
                            .min(Comparator.comparingLong(Op::end));
                    long after = first.map(op -> op.end() - fault.healedAt()).orElse(Long.MAX_VALUE);
                    figures.add(after == Long.MAX_VALUE ? "never" : Seconds.of(after) + " s");
                    if (after > RECOVERY_BOUND.toNanos()) {
                        unrecovered.computeIfAbsent(window.name(), k -> new ArrayList<>()).add("server "
                                + History.Instances.label(server) + " acknowledged no write for "
                                + (after == Long.MAX_VALUE ? "the rest of the phase" : Seconds.of(after) + " s")
                                + " after healing: " + lastFailure(ops, server, fault.healedAt(), window.to()));
                    }
                }
                recovery.put(window.name(), String.join(", ", figures));
            });
        }

        Set<String> referenced = new HashSet<>();
        stored.values().forEach(row -> referenced.add(row.blobKey()));
        List<String> orphans = bucket.stream().filter(key -> !referenced.contains(key)).sorted().toList();

        return new Findings(windows, lost, servedWrong, lostPerWindow, mismatches, stale, failures, unrecovered, recovery, orphans,
                stored.size(), bucket.size(), ops);
    }

    private static List<Window> windows(List<Fault> faults, long stoppedAt) {
        List<Window> windows = new ArrayList<>();
        long from = 0;
        String name = "warm-up";
        Optional<Fault> fault = Optional.empty();
        for (Fault next : faults) {
            windows.add(new Window(name, from, next.injectedAt(), fault));
            from = next.injectedAt();
            name = next.name();
            fault = Optional.of(next);
        }
        windows.add(new Window(name, from, stoppedAt, fault));
        windows.add(new Window("final reads", stoppedAt, Long.MAX_VALUE, Optional.empty()));
        return windows;
    }

    /** Whether an op was answered as the API promises under faults: its own statuses, or a timely 503 problem. */
    private static Optional<String> failure(Op op, List<Fault> faults) {
        if (op.status() == History.TIMED_OUT) {
            return Optional.of(op + ": no answer within " + Workload.REQUEST_TIMEOUT.toSeconds() + " s");
        }
        if (!op.answered()) {
            boolean killed = faults.stream().anyMatch(fault -> fault.killedInstance() == op.instance()
                    && op.overlaps(fault.injectedAt(), fault.healedAt() + RESTART_GRACE.toNanos()));
            return killed ? Optional.empty() : Optional.of(op + ": a connection error while the server was up");
        }
        if (op.end() - op.start() > TIME_BUDGET.toNanos()) {
            return Optional.of(op + ": answered after " + Seconds.of(op.end() - op.start()) + " s, over the "
                    + TIME_BUDGET.toSeconds() + " s budget");
        }
        if (op.status() == 503) {
            boolean problem = "application/problem+json".equals(op.contentType());
            return problem && op.retryAfter() ? Optional.empty()
                    : Optional.of(op + ": a 503 without " + (problem ? "Retry-After" : "problem+json (" + op.contentType() + ")"));
        }
        Set<Integer> expected = switch (op.kind()) {
            case READ -> Set.of(200, 404);
            case LIST -> Set.of(200);
            case CREATE -> Set.of(201, 409);
            case UPDATE -> Set.of(200, 404, 412);
            case DELETE -> Set.of(204, 404, 412);
        };
        return expected.contains(op.status()) ? Optional.empty()
                : Optional.of(op + ": unexpected status" + (op.error() == null ? "" : ", " + op.error()));
    }

    private static String lastFailure(List<Op> ops, int instance, long from, long to) {
        return ops.stream().filter(op -> op.instance() == instance && op.kind().isWrite() && !op.succeeded()
                        && op.start() >= from && op.start() < to)
                .reduce((a, b) -> b)
                .map(op -> "last failed write " + op + (op.error() == null ? "" : " " + op.error()))
                .orElse("no write was tried");
    }

    /** A file's state as somebody answered it: present with an ETag and content (absent is null). */
    private record State(String etag, String content) {
    }

    /** The writes of one name, in order (one writer wrote them one after the other). */
    private static final class NameLog {
        private final List<Op> writes = new ArrayList<>();
        private final Map<String, Integer> byEtag = new HashMap<>();
        private final Map<String, Integer> byContent = new HashMap<>();

        void add(Op write) {
            int index = writes.size();
            writes.add(write);
            if (write.written() != null) {
                byContent.put(write.written(), index);
            }
            if (write.succeeded() && write.etag() != null && write.kind() != Kind.DELETE) {
                byEtag.put(write.etag(), index);
            }
        }

        Optional<Op> lastAcknowledged() {
            return writes.stream().filter(Op::succeeded).reduce((a, b) -> b);
        }

        /**
         * Which write a present state is the result of, or why it can be none: a known ETag must
         * come with the content written under it; an unknown one with the content of a write whose
         * outcome is unknown.
         */
        private Resolution resolve(State state) {
            Integer byTag = byEtag.get(state.etag());
            if (byTag != null) {
                String written = writes.get(byTag).written();
                return written.equals(state.content()) ? new Resolution(byTag, null)
                        : new Resolution(-1, "ETag " + state.etag() + " of " + writes.get(byTag) + " served with "
                                + quote(state.content()) + " instead of " + quote(written));
            }
            Integer byText = byContent.get(state.content());
            if (byText == null) {
                return new Resolution(-1, "ETag " + state.etag() + " served with " + quote(state.content())
                        + ", which was never written");
            }
            Op write = writes.get(byText);
            return write.outcome() == Outcome.UNKNOWN ? new Resolution(byText, null)
                    : new Resolution(-1, "ETag " + state.etag() + " served with " + quote(state.content()) + " of " + write
                            + ", which was " + write.outcome().name().toLowerCase(java.util.Locale.ROOT)
                            + (write.succeeded() ? " under another ETag" : ""));
        }

        /** Checks one read's body against its ETag and, when it is older than what was acknowledged before it began, how stale. */
        void check(Op read, List<String> mismatches, List<Stale> stale) {
            int served;
            if (read.status() == 200) {
                Resolution resolution = resolve(new State(read.etag(), read.body()));
                if (resolution.problem() != null) {
                    mismatches.add(read + ": " + resolution.problem());
                    return;
                }
                served = resolution.index();
                if (writes.get(served).start() > read.end()) {
                    mismatches.add(read + ": served " + writes.get(served) + ", which began after the read ended");
                    return;
                }
            } else {
                // Absent: the initial state or any delete that may have applied and could precede the read's end.
                served = -1;
                for (int i = 0; i < writes.size(); i++) {
                    Op write = writes.get(i);
                    if (write.kind() == Kind.DELETE && write.outcome() != Outcome.REJECTED && write.start() < read.end()) {
                        served = i;
                    }
                }
            }
            for (int i = served + 1; i < writes.size(); i++) {
                Op write = writes.get(i);
                if (write.succeeded() && write.end() < read.start()) {
                    stale.add(new Stale(read, read.start() - write.end(), write));
                    return;
                }
            }
        }

        /** The final state must be the last acknowledged write's, or that of a later write whose outcome is unknown. */
        Optional<String> checkFinal(State state, String source) {
            int last = -1;
            for (int i = 0; i < writes.size(); i++) {
                if (writes.get(i).succeeded()) {
                    last = i;
                }
            }
            if (state == null) {
                boolean allowed = last < 0 || writes.get(last).kind() == Kind.DELETE;
                for (int i = last + 1; i < writes.size() && !allowed; i++) {
                    allowed = writes.get(i).kind() == Kind.DELETE && writes.get(i).outcome() == Outcome.UNKNOWN;
                }
                return allowed ? Optional.empty() : Optional.of(source + " has no such file");
            }
            Resolution resolution = resolve(state);
            if (resolution.problem() != null) {
                return Optional.of(source + ": " + resolution.problem());
            }
            int index = resolution.index();
            boolean allowed = index == last || (index > last && writes.get(index).outcome() == Outcome.UNKNOWN);
            return allowed ? Optional.empty() : Optional.of(source + " holds " + writes.get(index) + ", an older revision");
        }

        private static String quote(String content) {
            return content == null ? "nothing" : '"' + content.replace("\n", "\\n") + '"';
        }
    }

    private record Resolution(int index, String problem) {
    }
}
