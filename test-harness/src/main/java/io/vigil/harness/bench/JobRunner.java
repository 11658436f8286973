package io.vigil.harness.bench;

import io.vigil.job.config.JobConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs one job variant once over a prepared {@link Workload} and measures it: fresh output topics
 * (LogAppendTime), the job submitted to a fresh environment of the {@link ExecutionTarget}, the output
 * read while it runs ({@link OutputMeter}), CPU and RSS of this JVM around it. The run ends when every
 * expected record is committed; a job that keeps running after its bounded input (the real job also
 * reads the never-ending model-updates topic) is then cancelled. A count other than the expected one,
 * a failed job or a stall fails the run.
 */
public final class JobRunner {

    /**
     * Knobs common to all runs of a benchmark.
     *
     * @param stallTimeout a run with no new committed output for this long fails (with a thread dump)
     * @param firstOutputTimeout the same before the first output record: a key's first score needs a
     *     full window of its readings, so with many keys much of the input is read before any output
     * @param progress where a line about the output so far goes every {@code progressInterval}; null for none
     */
    public record Options(Duration checkpointInterval, Map<String, String> jobOptions, Duration stallTimeout,
            Duration firstOutputTimeout, Duration progressInterval, PrintWriter progress) {
        public Options {
            jobOptions = Map.copyOf(jobOptions);
        }

        public static Options of(BenchmarkSettings settings, PrintWriter progress) {
            Duration stall = Duration.ofMinutes(2);
            // window - 1 readings of every key come before any score; allow them at 2,000 readings/s
            Duration beforeFirst = Duration.ofSeconds((long) settings.keys() * (BenchmarkSettings.WINDOW - 1) / 2_000);
            return new Options(settings.checkpointInterval(), settings.jobOptions(), stall,
                    beforeFirst.compareTo(stall) > 0 ? beforeFirst : stall, Duration.ofSeconds(15), progress);
        }
    }

    private static final Duration END_TIMEOUT = Duration.ofMinutes(1);

    private final ExecutionTarget target;
    private final Workload workload;
    private final WorkloadPreparer.TopicCreator topics;
    private final Options options;

    public JobRunner(ExecutionTarget target, Workload workload, WorkloadPreparer.TopicCreator topics, Options options) {
        this.target = target;
        this.workload = workload;
        this.topics = topics;
        this.options = options;
    }

    /** The job options of one run: bounded read from earliest, fresh topics and transactional ids. */
    public Map<String, String> jobSettings(JobVariant variant, String runId) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kafka.bootstrap-servers", workload.bootstrapServers());
        m.put("kafka.group-id", runId);
        m.put("kafka.starting-offsets", "earliest");
        m.put("kafka.stop-at-end", "true");
        m.put("topic.readings", workload.inputTopic(variant));
        m.put("topic.scores", runId + "-scores");
        m.put("topic.alerts", runId + "-alerts");
        m.put("topic.dead-letter", runId + "-dead-letter");
        m.put("topic.model-updates", workload.modelUpdatesTopic());
        m.put("sink.transactional-id-prefix", runId);
        m.put("model.store", workload.model().store().toString());
        m.put("model.id", workload.model().modelId());
        m.put("model.version", workload.model().version());
        m.put("execution.checkpointing.interval", options.checkpointInterval().toMillis() + " ms");
        m.putAll(options.jobOptions());
        m.putAll(variant.settings());
        return m;
    }

    /** Runs {@code variant}; {@code run} numbers the run within the benchmark (for unique names). */
    public RunResult run(JobVariant variant, int repeat, int run) throws Exception {
        String runId = String.format(Locale.ROOT, "bench-%02d-%s", run, variant.cliName());
        Map<String, String> settings = jobSettings(variant, runId);
        JobConfig config = JobConfig.fromMap(settings);
        Map<String, String> appendTime = Map.of("message.timestamp.type", "LogAppendTime");
        for (String topic : new String[] {config.scoresTopic(), config.alertsTopic(), config.deadLetterTopic()}) {
            topics.create(topic, workload.partitions(), appendTime);
        }
        long expected = workload.expectedOutputs(variant);
        StreamExecutionEnvironment env = target.newEnvironment();
        variant.wire(env, config);
        System.gc(); // start every run from a collected heap, so one run's garbage is not the next one's pause

        try (OutputMeter meter = new OutputMeter(workload.bootstrapServers(), config.scoresTopic());
                ThreadCpuSampler sampler = ThreadCpuSampler.start(target::rssBytes)) {
            long cpu0 = target.cpuNanos();
            Map<String, Long> threads0 = target.threadCpuNanos();
            ThreadWatch threads = ThreadWatch.start(target);
            long machine0 = ProcessResources.machineBusyNanos();
            long t0 = System.nanoTime();
            long submittedAt = System.currentTimeMillis();
            JobClient client = env.executeAsync(runId);
            CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
            try {
                awaitOutput(variant, meter, result, expected);
                long t1 = System.nanoTime();
                long cpu1 = target.cpuNanos();
                Map<String, Long> threads1 = threads.stop();
                long machine1 = ProcessResources.machineBusyNanos();
                long rss = target.rssBytes();
                double others = machine0 < 0 || machine1 < 0 ? Double.NaN
                        : Math.max(0, ThroughputMath.coresUsed((machine1 - machine0) - (cpu1 - cpu0), t1 - t0));
                Map<String, Double> byRole = new LinkedHashMap<>(sampler.stop());
                double cpuSeconds = (cpu1 - cpu0) / 1e9;
                if (target.runsInThisJvm()) {
                    double threadSum = byRole.values().stream().mapToDouble(Double::doubleValue).sum();
                    byRole.put(ThreadRoles.JVM_INTERNAL, Math.max(0, cpuSeconds - threadSum));
                } else {
                    byRole.clear(); // this JVM's threads are the benchmark's, not the job's: the TaskManagers'
                    threads1.forEach((thread, nanos) -> byRole.merge(ThreadRoles.ofLinuxName(
                            thread.substring(thread.indexOf(' ') + 1)), (nanos - threads0.getOrDefault(thread, 0L)) / 1e9,
                            Double::sum));
                }
                if (variant.endsAtEndOfInput()) {
                    awaitEnd(variant, result, meter, expected);
                } else {
                    stop(client, result);
                }
                meter.drain(Duration.ofSeconds(30)); // anything committed after the count was reached is an error too
                long deadLetters = committedRecords(config.deadLetterTopic());
                if (meter.records() != expected || deadLetters != 0) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "%s wrote %,d records to %s, expected"
                                    + " exactly %,d (%s), and %,d dead letters (expected none); the run is not valid. %s",
                            variant.cliName(), meter.records(), config.scoresTopic(), expected, expectation(variant),
                            deadLetters, target.diagnose(client.getJobID().toString()) + "; "
                                    + io.vigil.harness.kafka.CommittedRecords.visibility(workload.bootstrapServers(),
                                            config.scoresTopic())));
                }
                return new RunResult(variant.cliName(), repeat, workload.inputEvents(variant), expected, meter.records(),
                        meter.firstAppendMillis(), meter.lastAppendMillis(),
                        ThroughputMath.eventsPerSecond(meter.records(), meter.firstAppendMillis(), meter.lastAppendMillis()),
                        (t1 - t0) / 1e9, (meter.firstAppendMillis() - submittedAt) / 1e3, cpuSeconds,
                        ThroughputMath.coresUsed(cpu1 - cpu0, t1 - t0), others, rss, sampler.peakRssBytes(), byRole,
                        target.runsInThisJvm() ? sampler.byThreadName(8) : Map.of());
            } finally {
                threads.stop(); // already stopped when the run got that far; else the poller of a failed run
                if (!result.isDone()) {
                    stop(client, result);
                }
            }
        }
    }

    private long committedRecords(String topic) {
        try (OutputMeter m = new OutputMeter(workload.bootstrapServers(), topic)) {
            m.drain(Duration.ofSeconds(30));
            return m.records();
        }
    }

    private void awaitOutput(JobVariant variant, OutputMeter meter, CompletableFuture<JobExecutionResult> result,
            long expected) throws InterruptedException {
        long started = System.nanoTime();
        long nextProgress = started + options.progressInterval().toNanos();
        while (true) {
            meter.poll(Duration.ofMillis(100));
            if (options.progress() != null && System.nanoTime() > nextProgress) {
                nextProgress += options.progressInterval().toNanos();
                options.progress().printf(Locale.ROOT, "  ... %.0f s: %,d of %,d records committed%n",
                        (System.nanoTime() - started) / 1e9, meter.records(), expected);
                options.progress().flush();
            }
            if (result.isDone()) {
                failIfFailed(variant, result, meter, expected);
                meter.drain(Duration.ofSeconds(30)); // the job has ended: everything it committed is readable
                return;
            }
            if (meter.records() >= expected) {
                return;
            }
            Duration allowed = meter.records() == 0 ? options.firstOutputTimeout() : options.stallTimeout();
            if (meter.nanosSinceProgress() > allowed.toNanos()) {
                if (options.progress() != null) {
                    options.progress().println(ThreadDump.of(t -> true));
                    options.progress().flush();
                }
                throw new IllegalStateException(String.format(Locale.ROOT, "%s stalled: no output for %s after %,d of"
                                + " %,d records", variant.cliName(), allowed, meter.records(), expected));
            }
        }
    }

    /** Waits for a job that ends at the end of its input (all its output is committed by then). */
    private static void awaitEnd(JobVariant variant, CompletableFuture<JobExecutionResult> result, OutputMeter meter,
            long expected) throws InterruptedException {
        try {
            result.get(END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            failIfFailed(variant, result, meter, expected);
        } catch (TimeoutException e) {
            throw new IllegalStateException(variant.cliName() + " wrote all " + expected + " records but did not end"
                    + " within " + END_TIMEOUT + " at the end of its bounded input");
        }
    }

    private static void failIfFailed(JobVariant variant, CompletableFuture<JobExecutionResult> result, OutputMeter meter,
            long expected) throws InterruptedException {
        try {
            result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s failed after %,d of %,d output records: %s",
                    variant.cliName(), meter.records(), expected, rootCause(e)), e);
        }
    }

    /** Cancels a job that is still running and waits until it has ended. */
    private static void stop(JobClient client, CompletableFuture<JobExecutionResult> result) throws Exception {
        if (result.isDone()) {
            return;
        }
        try {
            client.cancel().get(END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // it ended by itself meanwhile (a bounded run on a remote cluster, whose result is polled): a result
            // follows; anything else the cancel failed on is reported by waiting for it
        }
        try {
            result.get(END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // cancelled, as asked
        }
    }

    private String expectation(JobVariant variant) {
        long keys = variant.usesSmallInput() ? workload.smallKeys() : workload.keys();
        return variant.scores()
                ? keys + " keys x (" + workload.eventsPerKey() + " events - " + (workload.model().window() - 1)
                        + " before the first full window)"
                : "one per input reading";
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    /**
     * The CPU time of the job's threads in other processes, read once a second and kept as last seen,
     * so that a thread that ends before the run does (a bounded source's task) still counts.
     */
    private static final class ThreadWatch {
        private final Map<String, Long> seen = new java.util.concurrent.ConcurrentHashMap<>();
        private final ExecutionTarget target;
        private final Thread thread;
        private volatile boolean running = true;

        private ThreadWatch(ExecutionTarget target) {
            this.target = target;
            this.thread = new Thread(this::run, "bench-thread-cpu");
            this.thread.setDaemon(true);
        }

        static ThreadWatch start(ExecutionTarget target) {
            ThreadWatch w = new ThreadWatch(target);
            w.thread.start();
            return w;
        }

        private void run() {
            while (running) {
                seen.putAll(target.threadCpuNanos());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Stops the poller and returns what it saw; a second call returns the same. */
        Map<String, Long> stop() throws InterruptedException {
            if (!running) {
                return Map.copyOf(seen);
            }
            running = false;
            thread.interrupt();
            thread.join();
            seen.putAll(target.threadCpuNanos());
            return Map.copyOf(seen);
        }
    }
}
