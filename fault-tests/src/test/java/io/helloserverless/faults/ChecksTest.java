package io.helloserverless.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.helloserverless.faults.Checks.Findings;
import io.helloserverless.faults.Checks.Stored;
import io.helloserverless.faults.History.Fault;
import io.helloserverless.faults.History.Kind;
import io.helloserverless.faults.History.Op;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The oracle on histories written by hand: each check finds what it must, and nothing else. */
class ChecksTest {

    private static final String NAME = Workload.name(0);
    private static final long STOPPED = ms(100_000);

    private final History history = new History();
    private long ids;

    @Test
    void acceptsTheLastAcknowledgedWriteOrALaterOneOfUnknownOutcome() {
        write(Kind.CREATE, 0, 10, 201, "\"e1\"", "v1");
        write(Kind.UPDATE, 20, 30, 503, null, "v2");

        assertEquals(0, analyse(Map.of(NAME, stored("\"e1\"", "v1"))).lost().size());
        assertEquals(0, analyse(Map.of(NAME, stored("\"e2\"", "v2"))).lost().size());
        assertEquals(1, analyse(Map.of()).lost().size(), "absent: the acknowledged create is lost");
    }

    @Test
    void findsAnAcknowledgedWriteLostOrItsBlobMissing() {
        write(Kind.CREATE, 0, 10, 201, "\"e1\"", "v1");
        write(Kind.UPDATE, 20, 30, 200, "\"e2\"", "v2");
        write(Kind.UPDATE, 40, 50, 412, null, "v3");

        assertEquals(1, analyse(Map.of(NAME, stored("\"e1\"", "v1"))).lost().size(), "an older revision");
        assertEquals(1, analyse(Map.of(NAME, stored("\"e3\"", "v3"))).lost().size(), "a rejected write's");
        assertEquals(1, analyse(Map.of(NAME, new Stored("\"e2\"", "k2", null))).lost().size(), "a row without its blob");
        assertEquals(0, analyse(Map.of(NAME, stored("\"e2\"", "v2"))).lost().size());
    }

    @Test
    void measuresStalenessFromTheAcknowledgementOfTheWriteTheReadMissed() {
        write(Kind.CREATE, 0, 1_000, 201, "\"e1\"", "v1");
        write(Kind.UPDATE, 1_500, 2_000, 200, "\"e2\"", "v2");
        read(1_800, 1_900, 200, "\"e1\"", "v1");
        read(5_000, 5_010, 200, "\"e1\"", "v1");
        read(5_100, 5_110, 200, "\"e2\"", "v2");

        Findings findings = analyse(Map.of(NAME, stored("\"e2\"", "v2")));

        assertEquals(1, findings.stale().size(), "the read that began before the acknowledgement is not stale");
        assertEquals(ms(3_000), findings.stale().getFirst().stalenessNanos());
    }

    @Test
    void countsA404AfterAnAcknowledgedCreateAsStaleButNotAfterADeleteOfUnknownOutcome() {
        write(Kind.CREATE, 0, 1_000, 201, "\"e1\"", "v1");
        read(3_000, 3_010, 404, null, null);
        write(Kind.DELETE, 4_000, 4_100, 503, null, null);
        read(6_000, 6_010, 404, null, null);

        Findings findings = analyse(Map.of());

        assertEquals(1, findings.stale().size());
        assertEquals(ms(2_000), findings.stale().getFirst().stalenessNanos());
        assertEquals(0, findings.lost().size(), "the delete may have applied");
    }

    @Test
    void findsABodyThatDoesNotMatchItsEtag() {
        write(Kind.CREATE, 0, 10, 201, "\"e1\"", "v1");
        write(Kind.UPDATE, 20, 30, 503, null, "v2");
        read(40, 50, 200, "\"e1\"", "v2");
        read(60, 70, 200, "\"unknown\"", "v2");
        read(80, 90, 200, "\"unknown\"", "never written");

        assertEquals(2, analyse(Map.of(NAME, stored("\"e1\"", "v1"))).mismatches().size(),
                "a known ETag with another body, and a body nobody wrote; an unknown ETag with an unknown write's body is fine");
    }

    @Test
    void acceptsOnlyTimely503ProblemsAndConnectionErrorsFromTheKilledServer() {
        history.add(new Fault("kill", ms(1_000), ms(2_000), 0));
        op(Kind.READ, 0, 10, 503, "application/problem+json", true);
        op(Kind.READ, 20, 30, 503, "application/problem+json", false);
        op(Kind.READ, 40, 50, 500, "application/problem+json", false);
        op(Kind.READ, 60, 30_060, 503, "application/problem+json", true);
        op(Kind.READ, 1_500, 1_501, History.NOT_CONNECTED, null, false);
        opOn(1, 1_500, 1_501, History.NOT_CONNECTED);
        op(Kind.READ, 5_000, 5_001, History.CONNECTION_LOST, null, false);
        op(Kind.READ, 6_000, 41_000, History.TIMED_OUT, null, false);
        op(Kind.UPDATE, 7_000, 7_010, 400, "application/problem+json", false);

        assertEquals(7, analyse(Map.of()).failures().size(), String.join("\n", analyse(Map.of()).failures()));
    }

    @Test
    void countsBlobsThatNoRowReferences() {
        Findings findings = Checks.analyse(history, STOPPED, Map.of(NAME, new Stored("\"e1\"", "k1", "v1")),
                Set.of("k1", "k0", "k2"));

        assertEquals(List.of("k0", "k2"), findings.orphans());
    }

    private Findings analyse(Map<String, Stored> stored) {
        Set<String> keys = new java.util.HashSet<>();
        stored.values().forEach(row -> keys.add(row.blobKey()));
        return Checks.analyse(history, STOPPED, stored, keys);
    }

    private static Stored stored(String etag, String content) {
        return new Stored(etag, "key-" + content, content);
    }

    private void write(Kind kind, long start, long end, int status, String etag, String content) {
        history.add(new Op(++ids, kind, NAME, 1, ms(start), ms(end), status, etag, null, content, null, null, false, null));
    }

    private void read(long start, long end, int status, String etag, String body) {
        history.add(new Op(++ids, Kind.READ, NAME, 1, ms(start), ms(end), status, etag, body, null, null, null, false, null));
    }

    private void op(Kind kind, long start, long end, int status, String contentType, boolean retryAfter) {
        history.add(new Op(++ids, kind, NAME, 0, ms(start), ms(end), status, null, null, null, null, contentType,
                retryAfter, null));
    }

    private void opOn(int instance, long start, long end, int status) {
        history.add(new Op(++ids, Kind.READ, NAME, instance, ms(start), ms(end), status, null, null, null, null, null,
                false, null));
    }

    private static long ms(long millis) {
        return millis * 1_000_000;
    }
}
