package io.vigil.harness.bench;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Splits a latency run's outputs by where they fall against the checkpoints: an output is "during a
 * checkpoint" when its life, from its reading's arrival to its own append, overlaps a checkpoint's span
 * (triggered to last acknowledgement, or to failure); "after" when its reading arrived within
 * {@link #AFTER_MILLIS} of a checkpoint's end (the backlog a stall leaves is drained then); "quiet"
 * otherwise. If the quiet outputs' tail is short and the others' long, checkpoints make the tail.
 */
public final class CheckpointOverlap {

    /** How long after a checkpoint's end an arriving reading still counts as "after" it. */
    static final long AFTER_MILLIS = 3_000;

    /**
     * One checkpoint as the cluster's history keeps it.
     *
     * @param endMillis the last acknowledgement (completed), the failure (failed), or when it was read
     *     (still in progress)
     * @param maxSyncMillis the longest synchronous part of any subtask (-1 unknown), {@code syncVertex} its task
     * @param maxAlignmentMillis the longest barrier alignment of any subtask (-1 unknown)
     * @param maxStartDelayMillis the longest wait of any subtask for its first barrier (-1 unknown)
     */
    public record Span(
            long id,
            String status,
            long triggerMillis,
            long endMillis,
            long maxSyncMillis,
            String syncVertex,
            long maxAlignmentMillis,
            String alignmentVertex,
            long maxStartDelayMillis) {

        long durationMillis() {
            return endMillis - triggerMillis;
        }
    }

    /**
     * @param checkpoints spans that overlap the measured time
     * @param longestMillis the longest of them (trigger to end)
     * @param longestSyncMillis the longest synchronous part among them, of {@code syncVertex}; -1 unknown
     */
    public record Split(
            int checkpoints,
            long longestMillis,
            long quiet,
            double quietP50,
            double quietP99,
            double quietMax,
            long after,
            double afterP50,
            double afterP99,
            double afterMax,
            long during,
            double duringP50,
            double duringP99,
            double duringMax,
            long longestSyncMillis,
            String syncVertex,
            long longestAlignmentMillis,
            String alignmentVertex,
            long longestStartDelayMillis) {}

    /** The measured outputs of a run: each one's reading arrival (epoch ms) and latency (ms). */
    public static final class Outputs {
        private long[] arrivals = new long[1 << 16];
        private int[] latencies = new int[1 << 16];
        private int size;

        public synchronized void add(long arrivalMillis, long latencyMillis) {
            if (size == arrivals.length) {
                arrivals = Arrays.copyOf(arrivals, size * 2);
                latencies = Arrays.copyOf(latencies, size * 2);
            }
            arrivals[size] = arrivalMillis;
            latencies[size++] = (int) Math.max(0, Math.min(Integer.MAX_VALUE, latencyMillis));
        }

        public synchronized int size() {
            return size;
        }
    }

    private CheckpointOverlap() {}

    /** Splits {@code outputs} by the checkpoints of {@code spans} that overlap [{@code from}, {@code to}). */
    public static Split split(Outputs outputs, List<Span> spans, long from, long to) {
        Span[] sorted = spans.stream()
                .filter(s -> s.endMillis() + AFTER_MILLIS >= from && s.triggerMillis() < to)
                .sorted(Comparator.comparingLong(Span::triggerMillis))
                .toArray(Span[]::new);
        // Checkpoints may overlap (a slow one still acknowledging when the next is triggered): the latest
        // end of all spans triggered up to each one.
        long[] triggers = new long[sorted.length];
        long[] endSoFar = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            triggers[i] = sorted[i].triggerMillis();
            endSoFar[i] = Math.max(sorted[i].endMillis(), i == 0 ? Long.MIN_VALUE : endSoFar[i - 1]);
        }
        LatencyRun.Histogram quiet = new LatencyRun.Histogram();
        LatencyRun.Histogram after = new LatencyRun.Histogram();
        LatencyRun.Histogram during = new LatencyRun.Histogram();
        synchronized (outputs) {
            for (int k = 0; k < outputs.size; k++) {
                long arrival = outputs.arrivals[k];
                long written = arrival + outputs.latencies[k];
                int i = lastAtOrBefore(triggers, written);
                LatencyRun.Histogram h = i < 0
                        ? quiet
                        : endSoFar[i] >= arrival ? during : arrival < endSoFar[i] + AFTER_MILLIS ? after : quiet;
                h.add(outputs.latencies[k]);
            }
        }
        // the spans kept only for their "after" are not among the measured time's checkpoints
        Span[] overlapping =
                Arrays.stream(sorted).filter(s -> s.endMillis() >= from).toArray(Span[]::new);
        Span sync = Arrays.stream(overlapping)
                .max(Comparator.comparingLong(Span::maxSyncMillis))
                .orElse(null);
        Span alignment = Arrays.stream(overlapping)
                .max(Comparator.comparingLong(Span::maxAlignmentMillis))
                .orElse(null);
        long startDelay = Arrays.stream(overlapping)
                .mapToLong(Span::maxStartDelayMillis)
                .max()
                .orElse(-1);
        long longest =
                Arrays.stream(overlapping).mapToLong(Span::durationMillis).max().orElse(-1);
        return new Split(
                overlapping.length,
                longest,
                quiet.count(),
                quiet.percentile(0.50),
                quiet.percentile(0.99),
                quiet.max(),
                after.count(),
                after.percentile(0.50),
                after.percentile(0.99),
                after.max(),
                during.count(),
                during.percentile(0.50),
                during.percentile(0.99),
                during.max(),
                sync == null ? -1 : sync.maxSyncMillis(),
                sync == null ? "" : sync.syncVertex(),
                alignment == null ? -1 : alignment.maxAlignmentMillis(),
                alignment == null ? "" : alignment.alignmentVertex(),
                startDelay);
    }

    /** The index of the last value at or before {@code t} in ascending {@code values}, -1 if none. */
    private static int lastAtOrBefore(long[] values, long t) {
        int i = Arrays.binarySearch(values, t);
        if (i >= 0) {
            while (i + 1 < values.length && values[i + 1] == t) {
                i++;
            }
            return i;
        }
        return -i - 2;
    }
}
