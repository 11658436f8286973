package io.vigil.harness.bench;

import java.util.Collection;
import java.util.List;

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

    /** One reading of a progress counter: wall-clock milliseconds, and the count then. */
    public record Sample(long millis, long count) {}

    /** The part of a run the steady rate is taken over: from this fraction of the total ... */
    public static final double STEADY_FROM = 0.10;
    /** ... to this one. */
    public static final double STEADY_TO = 0.90;

    /**
     * The steady rate of a counter that ends at {@code total}, per second: the least-squares slope of
     * count over time through the samples whose count lies between {@link #STEADY_FROM} and
     * {@link #STEADY_TO} of the total. Start-up (model loading, the first windows) and the end (the last
     * batches, the final commit) are left out, and fitting every sample in between evens out the jitter
     * of when each was read.
     *
     * @return the rate, or NaN with fewer than 3 samples in that range (a run too short for its sampling)
     */
    public static double steadyRate(List<Sample> samples, long total) {
        List<Sample> steady = steadyPart(samples, total);
        int n = steady.size();
        if (n < 3) {
            return Double.NaN;
        }
        long t0 = steady.get(0).millis();
        double mt = 0;
        double mc = 0;
        for (Sample s : steady) {
            mt += (s.millis() - t0) / (double) n;
            mc += s.count() / (double) n;
        }
        double stt = 0;
        double stc = 0;
        for (Sample s : steady) {
            double dt = s.millis() - t0 - mt;
            stt += dt * dt;
            stc += dt * (s.count() - mc);
        }
        return stt == 0 ? Double.NaN : stc / stt * 1000.0;
    }

    /** The samples {@link #steadyRate} fits, in time order. */
    public static List<Sample> steadyPart(List<Sample> samples, long total) {
        return samples.stream()
                .filter(s -> s.count() >= STEADY_FROM * total && s.count() <= STEADY_TO * total)
                .sorted(java.util.Comparator.comparingLong(Sample::millis))
                .toList();
    }

    /** The median (mean of the two middle values for an even count) of the values that are numbers; NaN if none. */
    public static double median(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the median of no values is undefined");
        }
        double[] v = values.stream()
                .mapToDouble(Double::doubleValue)
                .filter(d -> !Double.isNaN(d))
                .sorted()
                .toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    public static double min(Collection<Double> values) {
        return values.stream()
                .mapToDouble(Double::doubleValue)
                .filter(d -> !Double.isNaN(d))
                .min()
                .orElse(Double.NaN);
    }

    public static double max(Collection<Double> values) {
        return values.stream()
                .mapToDouble(Double::doubleValue)
                .filter(d -> !Double.isNaN(d))
                .max()
                .orElse(Double.NaN);
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
