package io.helloserverless.benchmarks;

import java.util.Arrays;

/** Order statistics of one series of measurements (any unit). */
record Stats(int count, double min, double p25, double median, double p75, double p99, double max) {

    static Stats of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurement");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Stats(sorted.length, sorted[0], quantile(sorted, 0.25), quantile(sorted, 0.5),
                quantile(sorted, 0.75), quantile(sorted, 0.99), sorted[sorted.length - 1]);
    }

    /** Nearest rank: an observed value, never an interpolation. */
    static double quantile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Inter-quartile range relative to the median: the spread of repeated runs. */
    double spread() {
        return (p75 - p25) / median;
    }
}
