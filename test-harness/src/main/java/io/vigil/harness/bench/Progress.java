package io.vigil.harness.bench;

import io.vigil.harness.cluster.FlinkRest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A running job's progress as its own metrics tell it, read over the cluster's REST API: the readings
 * through its keyed task ({@link JobVariant#progressMetric}), kept as a sample whenever the value read
 * changes, and the alerts its scoring operator handed to the alert sink. Whether a job writes one
 * record per reading or a few alerts, it is measured the same way.
 */
final class Progress {

    /** How often the harness reads the metrics. */
    static final Duration POLL = Duration.ofMillis(100);
    /**
     * How often the JobManager refreshes them ({@code metrics.fetcher.update-interval} of deploy/local and of
     * the benchmark's MiniClusters): a value read is up to this old when the metrics are read at least that
     * often (the JobManager answers from its latest fetch, then fetches anew if that one is older than the
     * interval, so the first answer after a long pause is as old as the pause).
     */
    static final Duration FETCHER_INTERVAL = Duration.ofMillis(500);

    private final FlinkRest rest;
    private final String jobId;
    private final JobVariant variant;
    private final List<ThroughputMath.Sample> samples = new ArrayList<>();
    private long count = -1;
    private long alerts = -1;
    private long changedAt = System.nanoTime();
    private long firstMillis = -1;

    Progress(FlinkRest rest, String jobId, JobVariant variant) {
        this.rest = rest;
        this.jobId = jobId;
        this.variant = variant;
    }

    /**
     * Reads the metrics once: the progress metric (a value other than the last one read is kept as a
     * sample) and, for a scoring variant, the alerts emitted.
     */
    void sample() {
        long c;
        try {
            c = readingsThrough(rest, jobId, variant);
            if (variant.scores()) {
                long a = rest.metricSum(jobId, variant.progressVertex(), ALERTS_IN);
                alerts = Math.max(alerts, a);
            }
        } catch (RuntimeException e) {
            return; // the job is not known to the JobManager yet, or has ended, or a request timed out
        }
        if (c < 0 || c == count) {
            return;
        }
        long now = System.currentTimeMillis();
        samples.add(new ThroughputMath.Sample(now, c));
        if (count <= 0 && c > 0) {
            firstMillis = now;
        }
        count = c;
        changedAt = System.nanoTime();
    }

    /**
     * Readings through {@code variant}'s keyed task as the JobManager last fetched them; -1 while not
     * reported. Throws if the request fails.
     */
    static long readingsThrough(FlinkRest rest, String jobId, JobVariant variant) {
        return rest.metricSum(jobId, variant.progressVertex(), variant.progressMetric(), "progress");
    }

    /** The latest value read, -1 before the first. */
    long count() {
        return count;
    }

    /** Wall-clock time the value was first read above 0, -1 before. */
    long firstMillis() {
        return firstMillis;
    }

    long nanosSinceChange() {
        return System.nanoTime() - changedAt;
    }

    List<ThroughputMath.Sample> samples() {
        return List.copyOf(samples);
    }

    /**
     * Alerts the scoring operator has handed to the alert sink's writer, as last read; -1 while not
     * reported (always for the pass-through, which writes none).
     */
    long alertsEmitted() {
        return alerts;
    }

    /** The alert sink writer's input, in the scoring task's vertex. */
    private static final String ALERTS_IN = "alerts__Writer.numRecordsIn";
}
