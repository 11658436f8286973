package io.vigil.harness.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of one job variant.
 *
 * @param eventsPerSecond output records per second between the first and last broker append time
 * @param wallSeconds from submitting the job to the last expected output being readable (committed)
 * @param startupSeconds from submitting the job to the first output's append time (start-up, model load, first window)
 * @param cpuSeconds process CPU over the wall time (broker, MiniCluster and meter together)
 * @param otherCoresUsed cores other processes on the machine kept busy meanwhile (NaN where unknown)
 * @param rssBytes the JVM's resident set size when the run's output was complete
 * @param peakRssBytes the largest resident set size sampled during the run
 * @param cpuByRole CPU seconds by {@link ThreadRoles thread role}, JVM-internal included
 * @param topThreads the threads that used the most CPU (seconds), for diagnosis
 */
public record RunResult(
        String variant,
        int repeat,
        long inputEvents,
        long expectedRecords,
        long records,
        long firstAppendMillis,
        long lastAppendMillis,
        double eventsPerSecond,
        double wallSeconds,
        double startupSeconds,
        double cpuSeconds,
        double coresUsed,
        double otherCoresUsed,
        long rssBytes,
        long peakRssBytes,
        Map<String, Double> cpuByRole,
        Map<String, Double> topThreads) {

    public RunResult {
        cpuByRole = Collections.unmodifiableMap(new LinkedHashMap<>(cpuByRole));
        topThreads = Collections.unmodifiableMap(new LinkedHashMap<>(topThreads));
    }
}
