package io.vigil.harness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.harness.cluster.FlinkRest;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a benchmark job runs. Each run gets a fresh environment, so no run inherits another's cluster
 * state; {@link MiniClusterTarget} is one fresh MiniCluster per job in this JVM (a standalone cluster
 * would return a remote environment).
 */
public interface ExecutionTarget {

    /** A fresh environment for one job, at the target's parallelism. */
    StreamExecutionEnvironment newEnvironment();

    int parallelism();

    /** One line for the report, e.g. "Flink MiniCluster in the benchmark JVM, parallelism 2". */
    String describe();

    /** CPU time used so far by the processes that run the jobs (nanoseconds), -1 if unknown. */
    default long cpuNanos() {
        return ProcessResources.cpuNanos();
    }

    /** Resident memory of the processes that run the jobs (bytes), -1 if unknown. */
    default long rssBytes() {
        return ProcessResources.rssBytes();
    }

    /**
     * The job's checkpoints so far, as the JobManager summarises them ({@code /jobs/J/checkpoints}).
     *
     * @param completed checkpoints completed so far
     * @param failed checkpoints that failed
     * @param durationMillis end-to-end duration of the latest completed one
     * @param stateBytes its full state size (all operators, all subtasks)
     * @param p50DurationMillis the median end-to-end duration so far
     * @param maxDurationMillis the longest end-to-end duration so far
     * @param latestFailure why the latest failed checkpoint failed, as the JobManager says; null when none failed
     */
    record Checkpoint(
            long completed,
            long failed,
            long durationMillis,
            long stateBytes,
            long p50DurationMillis,
            long maxDurationMillis,
            String latestFailure) {}

    /** The job's checkpoints, or null before its first completed one or where the cluster no longer tells. */
    default Checkpoint latestCheckpoint(String jobId) {
        JsonNode c;
        try {
            c = rest().get("/jobs/" + jobId + "/checkpoints");
        } catch (RuntimeException e) {
            return null; // a MiniCluster is gone with its job
        }
        JsonNode latest = c.path("latest").path("completed");
        if (latest.isMissingNode() || latest.isNull()) {
            return null;
        }
        JsonNode duration = c.path("summary").path("end_to_end_duration");
        return new Checkpoint(
                c.path("counts").path("completed").asLong(),
                c.path("counts").path("failed").asLong(),
                latest.path("end_to_end_duration").asLong(),
                latest.path("state_size").asLong(),
                duration.path("p50").asLong(),
                duration.path("max").asLong(),
                c.path("latest").path("failed").path("failure_message").asText(null));
    }

    /**
     * The checkpoints the cluster still keeps in its history for the job (the standalone stack keeps
     * {@code web.checkpoints.history} of them), oldest first; empty where the target cannot tell.
     */
    default java.util.List<CheckpointOverlap.Span> checkpointHistory(String jobId) {
        return java.util.List.of();
    }

    /** The job's state and latest failure as the cluster reports them, for a failed run's message; "" if unknown. */
    default String diagnose(String jobId) {
        return "";
    }

    /**
     * The processes that carry a latency run's load beside the harness (the Kafka broker where it runs
     * apart), which {@link LoadPriority} raises over the job's; none where they share the harness's JVM.
     */
    default java.util.List<Long> loadPids() {
        return java.util.List.of();
    }

    /**
     * CPU time of each thread of the job's processes, when they are other processes than this one
     * ({@code "<pid>:<tid> <name>"} to nanoseconds; see {@link ProcessResources#threadCpuNanosOf}); empty
     * when the job runs in this JVM (the benchmark samples its threads itself).
     */
    default java.util.Map<String, Long> threadCpuNanos() {
        return java.util.Map.of();
    }

    /**
     * The REST API of the cluster the latest {@link #newEnvironment() environment} submits to, where the
     * benchmark reads the jobs' progress metrics.
     */
    FlinkRest rest();

    /** Whether jobs run in this JVM, so that its threads' CPU is the jobs' (per thread role). */
    default boolean runsInThisJvm() {
        return true;
    }
}
