package io.helloserverless.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void reportsObservedValuesByNearestRank() {
        Stats stats = Stats.of(new double[] {9, 1, 8, 2, 7, 3, 6, 4, 5, 10});

        assertEquals(1, stats.min());
        assertEquals(3, stats.p25());
        assertEquals(5, stats.median());
        assertEquals(8, stats.p75());
        assertEquals(10, stats.p99());
        assertEquals(10, stats.max());
        assertEquals(1.0, stats.spread());
    }
}
