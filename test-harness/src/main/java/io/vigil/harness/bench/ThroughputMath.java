package io.vigil.harness.bench;

import java.util.Collection;

/** The benchmark's arithmetic, kept free of Kafka and Flink so it is tested directly. */
public final class ThroughputMath {

    private ThroughputMath() {}

    /**
     * Records per second between the first and the last record's broker append time: {@code records - 1}
     * intervals over {@code last - first} milliseconds, so job start-up and model loading (before the
     * first output) and the final commit (after the last append) are left out.
     *
     * @return the rate, or NaN when every record was appended in the same millisecond (a tiny output
     *     written in one batch: there is no rate to measure)
     * @throws IllegalArgumentException with fewer than 2 records or a negative time span
     */
    public static double eventsPerSecond(long records, long firstAppendMillis, long lastAppendMillis) {
        if (records < 2) {
            throw new IllegalArgumentException("a throughput needs at least 2 output records, got " + records);
        }
        long span = lastAppendMillis - firstAppendMillis;
        if (span == 0) {
            return Double.NaN;
        }
        if (span < 0) {
            throw new IllegalArgumentException("the " + records + " output records were appended within "
                    + span + " ms (first " + firstAppendMillis + ", last " + lastAppendMillis
                    + "): too few to measure; give the benchmark more events");
        }
        return (records - 1) * 1000.0 / span;
    }

    /** The median (mean of the two middle values for an even count) of the values that are numbers; NaN if none. */
    public static double median(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the median of no values is undefined");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    public static double min(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).min().orElse(Double.NaN);
    }

    public static double max(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
    }

    /** {@code value / baseline}, or NaN when there is no positive baseline to compare with. */
    public static double ratio(double value, double baseline) {
        return baseline > 0 && Double.isFinite(baseline) ? value / baseline : Double.NaN;
    }

    /** CPU seconds per wall second: how many cores were busy on average. */
    public static double coresUsed(long cpuNanos, long wallNanos) {
        return wallNanos <= 0 ? Double.NaN : (double) cpuNanos / wallNanos;
    }

    /** Outputs a Vigil job emits: one per event once a key's window is full, {@code events - (window - 1)} per key. */
    public static long scoredEvents(long keys, long eventsPerKey, int window) {
        return keys * Math.max(0, eventsPerKey - (window - 1));
    }
}
