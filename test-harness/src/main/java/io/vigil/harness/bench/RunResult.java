package io.vigil.harness.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of one job variant.
 *
 * @param inputEvents readings in the topic the variant read
 * @param processedEvents readings through its keyed task by its {@link JobVariant#progressMetric}, as last read
 *     before the job ended (it ends only once all are through; the metrics may not show the last ones)
 * @param expectedRecords records it had to write to {@code topic.scores} (0 for the variants that write alerts only)
 * @param records records it wrote there (committed; checked equal to {@code expectedRecords})
 * @param alerts alert records it wrote (committed; checked equal to what its scoring operator emitted)
 * @param measuredFromMillis wall clock of the first sample of the steady part ({@link ThroughputMath#steadyPart})
 * @param measuredToMillis wall clock of its last sample
 * @param eventsPerSecond readings through the keyed task per second in the steady part ({@link ThroughputMath#steadyRate})
 * @param outputEventsPerSecond score records per second between their first and last broker append time,
 *     NaN for the variants that write none: the earlier measure, kept as a cross-check of the first
 * @param wallSeconds from submitting the job to the last expected output being readable (committed)
 * @param startupSeconds from submitting the job to its keyed task's first reading through
 * @param cpuSeconds process CPU over the wall time (broker, MiniCluster and meter together)
 * @param otherCoresUsed cores other processes on the machine kept busy meanwhile (NaN where unknown)
 * @param rssBytes the JVM's resident set size when the run's output was complete
 * @param peakRssBytes the largest resident set size sampled during the run
 * @param cpuByRole CPU seconds by {@link ThreadRoles thread role}, JVM-internal included
 * @param topThreads the threads that used the most CPU (seconds), for diagnosis
 * @param checkpoint the job's checkpoints at its end (count, latest size, durations); null where the
 *     cluster no longer tells (a MiniCluster is gone with its job)
 */
public record RunResult(
        String variant,
        int repeat,
        long inputEvents,
        long processedEvents,
        long expectedRecords,
        long records,
        long alerts,
        long measuredFromMillis,
        long measuredToMillis,
        double eventsPerSecond,
        double outputEventsPerSecond,
        double wallSeconds,
        double startupSeconds,
        double cpuSeconds,
        double coresUsed,
        double otherCoresUsed,
        long rssBytes,
        long peakRssBytes,
        Map<String, Double> cpuByRole,
        Map<String, Double> topThreads,
        ExecutionTarget.Checkpoint checkpoint) {

    public RunResult {
        cpuByRole = Collections.unmodifiableMap(new LinkedHashMap<>(cpuByRole));
        topThreads = Collections.unmodifiableMap(new LinkedHashMap<>(topThreads));
    }
}
