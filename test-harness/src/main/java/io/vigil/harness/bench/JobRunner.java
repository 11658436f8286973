package io.vigil.harness.bench;

import io.vigil.job.config.JobConfig;
import io.vigil.job.config.VigilOptions;
import io.vigil.job.transactions.TransactionConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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
 * (LogAppendTime), the job submitted to a fresh environment of the {@link ExecutionTarget}, its
 * progress read from its own metrics while it runs ({@link Progress}: readings through its keyed task),
 * its score records (for the variants that write them) and alerts read as a {@code read_committed}
 * consumer would, CPU and RSS around it. The run ends when every input reading is through and every
 * score record committed; then every alert the scoring operator emitted must be committed too. A job
 * that keeps running after its bounded input (the real job also reads the never-ending model-updates
 * topic) is then cancelled. A count other than the expected one, a failed job or a stall fails the run.
 */
public final class JobRunner {

    /**
     * Knobs common to all runs of a benchmark.
     *
     * @param stallTimeout a run whose progress (readings through, score records committed) stops for this
     *     long fails (with a thread dump)
     * @param firstOutputTimeout the same before the first reading is through: the scoring task scores a
     *     reading once the watermark has passed it, and with many keys much is read before that
     * @param progress where a line about the output so far goes every {@code progressInterval}; null for none
     */
    public record Options(
            Duration checkpointInterval,
            Map<String, String> jobOptions,
            Duration stallTimeout,
            Duration firstOutputTimeout,
            Duration progressInterval,
            PrintWriter progress) {
        public Options {
            jobOptions = Map.copyOf(jobOptions);
        }

        public static Options of(BenchmarkSettings settings, PrintWriter progress) {
            Duration stall = Duration.ofMinutes(2);
            // a generous allowance before the first reading is through: window - 1 readings per key at 2,000/s
            Duration beforeFirst = Duration.ofSeconds((long) settings.keys() * (BenchmarkSettings.WINDOW - 1) / 2_000);
            return new Options(
                    settings.checkpointInterval(),
                    settings.jobOptions(),
                    stall,
                    beforeFirst.compareTo(stall) > 0 ? beforeFirst : stall,
                    Duration.ofSeconds(15),
                    progress);
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

    /**
     * The job options of one run: bounded read from earliest, fresh topics and transactional ids; a
     * scores topic only for the variants that write one.
     */
    public Map<String, String> jobSettings(JobVariant variant, String runId) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(VigilOptions.BOOTSTRAP_SERVERS.key(), workload.bootstrapServers());
        m.put(VigilOptions.GROUP_ID.key(), runId);
        m.put(VigilOptions.STARTING_OFFSETS.key(), "earliest");
        m.put(VigilOptions.STOP_AT_END.key(), "true");
        if (variant.stream() == BenchmarkStream.TRANSACTIONS) {
            // the job's transaction pipeline alone, with its own topics and model
            m.put(VigilOptions.STREAMS.key(), "transactions");
            m.put(VigilOptions.TX_TOPIC_INPUT.key(), workload.inputTopic(variant));
            m.put(VigilOptions.TX_TOPIC_SCORES.key(), variant.writesScores() ? runId + "-scores" : "");
            m.put(VigilOptions.TX_TOPIC_ALERTS.key(), runId + "-alerts");
            m.put(VigilOptions.TX_TOPIC_DEAD_LETTER.key(), runId + "-dead-letter");
            m.put(VigilOptions.TX_MODEL_ID.key(), workload.model().modelId());
            m.put(VigilOptions.TX_MODEL_VERSION.key(), workload.model().version());
        } else {
            m.put(VigilOptions.TOPIC_READINGS.key(), workload.inputTopic(variant));
            m.put(VigilOptions.TOPIC_SCORES.key(), variant.writesScores() ? runId + "-scores" : "");
            m.put(VigilOptions.TOPIC_ALERTS.key(), runId + "-alerts");
            m.put(VigilOptions.TOPIC_DEAD_LETTER.key(), runId + "-dead-letter");
            m.put(VigilOptions.MODEL_ID.key(), workload.model().modelId());
            m.put(VigilOptions.MODEL_VERSION.key(), workload.model().version());
        }
        m.put(VigilOptions.TOPIC_MODEL_UPDATES.key(), workload.modelUpdatesTopic());
        m.put(VigilOptions.TRANSACTIONAL_ID_PREFIX.key(), runId);
        m.put(VigilOptions.MODEL_STORE.key(), workload.model().store().toString());
        m.put("execution.checkpointing.interval", options.checkpointInterval().toMillis() + " ms");
        m.putAll(options.jobOptions());
        m.putAll(variant.settings());
        // bounded runs cannot align (JobConfig refuses it: FLINK-39728); the latency phase, unbounded, keeps it
        m.remove(ALIGNMENT);
        return m;
    }

    /** The job option of watermark alignment, which only the unbounded latency phase takes. */
    static final String ALIGNMENT = VigilOptions.ALIGNMENT_MAX_DRIFT.key();

    /** The output topics of a run's job: its sensor pipeline's, or its transaction pipeline's when that runs. */
    record Outputs(String scores, String alerts, String deadLetter) {
        static Outputs of(JobConfig config) {
            TransactionConfig t = config.transactions();
            return t != null
                    ? new Outputs(t.scoresTopic(), t.alertsTopic(), t.deadLetterTopic())
                    : new Outputs(config.scoresTopic(), config.alertsTopic(), config.deadLetterTopic());
        }
    }

    /** Creates the run's output topics ({@code LogAppendTime}, so every output carries its broker append time). */
    void createOutputTopics(JobConfig config) {
        Map<String, String> appendTime = Map.of("message.timestamp.type", "LogAppendTime");
        Outputs outputs = Outputs.of(config);
        for (String topic : new String[] {outputs.scores(), outputs.alerts(), outputs.deadLetter()}) {
            if (!topic.isEmpty()) {
                topics.create(topic, workload.partitions(), appendTime);
            }
        }
    }

    /** Runs {@code variant}; {@code run} numbers the run within the benchmark (for unique names). */
    public RunResult run(JobVariant variant, int repeat, int run) throws Exception {
        String runId = String.format(Locale.ROOT, "bench-%02d-%s", run, variant.cliName());
        Map<String, String> settings = jobSettings(variant, runId);
        JobConfig config = JobConfig.fromMap(settings);
        createOutputTopics(config);
        Outputs outputs = Outputs.of(config);
        long input = workload.inputEvents(variant);
        long expectedScores = workload.expectedScoreRecords(variant);
        StreamExecutionEnvironment env = target.newEnvironment();
        variant.wire(env, config);
        System.gc(); // start every run from a collected heap, so one run's garbage is not the next one's pause

        try (OutputMeter scores =
                        variant.writesScores() ? new OutputMeter(workload.bootstrapServers(), outputs.scores()) : null;
                OutputMeter alerts = new OutputMeter(workload.bootstrapServers(), outputs.alerts());
                ThreadCpuSampler sampler = ThreadCpuSampler.start(target::rssBytes)) {
            long cpu0 = target.cpuNanos();
            Map<String, Long> threads0 = target.threadCpuNanos();
            ThreadWatch threads = ThreadWatch.start(target);
            long machine0 = ProcessResources.machineBusyNanos();
            long t0 = System.nanoTime();
            long submittedAt = System.currentTimeMillis();
            JobClient client = env.executeAsync(runId);
            CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
            Progress progress = new Progress(target.rest(), client.getJobID().toString(), variant);
            try {
                awaitProcessed(variant, progress, scores, result, input, expectedScores);
                long t1 = System.nanoTime();
                long cpu1 = target.cpuNanos();
                Map<String, Long> threads1 = threads.stop();
                long machine1 = ProcessResources.machineBusyNanos();
                long rss = target.rssBytes();
                double others = machine0 < 0 || machine1 < 0
                        ? Double.NaN
                        : Math.max(0, ThroughputMath.coresUsed((machine1 - machine0) - (cpu1 - cpu0), t1 - t0));
                Map<String, Double> byRole = new LinkedHashMap<>(sampler.stop());
                double cpuSeconds = (cpu1 - cpu0) / 1e9;
                if (target.runsInThisJvm()) {
                    double threadSum = byRole.values().stream()
                            .mapToDouble(Double::doubleValue)
                            .sum();
                    byRole.put(ThreadRoles.JVM_INTERNAL, Math.max(0, cpuSeconds - threadSum));
                } else {
                    byRole.clear(); // this JVM's threads are the benchmark's, not the job's: the TaskManagers'
                    threads1.forEach((thread, nanos) -> byRole.merge(
                            ThreadRoles.ofLinuxName(thread.substring(thread.indexOf(' ') + 1)),
                            (nanos - threads0.getOrDefault(thread, 0L)) / 1e9,
                            Double::sum));
                }
                // A bounded job ends by itself once its input is through, committing everything at its final
                // checkpoint (its metrics may be gone by then); one seen still running is waited for here.
                long emitted = variant.scores() && !result.isDone()
                        ? awaitAlertsCommitted(variant, progress, alerts, result)
                        : progress.alertsEmitted();
                awaitEnd(variant, result, input, progress.count());
                ExecutionTarget.Checkpoint checkpoint =
                        target.latestCheckpoint(client.getJobID().toString());
                // anything committed after the counts were reached is an error too
                if (scores != null) {
                    scores.drain(Duration.ofSeconds(30));
                }
                alerts.drain(Duration.ofSeconds(30));
                long deadLetters = committedRecords(outputs.deadLetter());
                // The job has FINISHED (awaitEnd): Flink ends a job with a bounded input only once every reading
                // has gone through every operator. The metrics may not have shown the last ones before it ended;
                // they can never show more than the input.
                long processed = progress.count();
                long written = scores == null ? 0 : scores.records();
                // every alert seen emitted is committed: exactly so when awaitAlertsCommitted saw the job running,
                // at least so when it had ended (its metric's last value read may be short of its total)
                boolean alertsOk = variant.scores() ? alerts.records() >= emitted : alerts.records() == 0;
                if (processed > input || written != expectedScores || !alertsOk || deadLetters != 0) {
                    throw new IllegalStateException(String.format(
                            Locale.ROOT,
                            "%s took %,d readings through its keyed"
                                    + " task of %,d read, wrote %,d score records (expected %,d: %s), %,d alerts (its"
                                    + " scoring operator emitted %,d) and %,d dead letters (expected none); the run is"
                                    + " not valid. %s",
                            variant.cliName(),
                            processed,
                            input,
                            written,
                            expectedScores,
                            expectation(variant),
                            alerts.records(),
                            emitted,
                            deadLetters,
                            target.diagnose(client.getJobID().toString())
                                    + (scores == null
                                            ? ""
                                            : "; "
                                                    + io.vigil.harness.kafka.CommittedRecords.visibility(
                                                            workload.bootstrapServers(), outputs.scores()))));
                }
                List<ThroughputMath.Sample> steady = ThroughputMath.steadyPart(progress.samples(), input);
                return new RunResult(
                        variant.cliName(),
                        repeat,
                        input,
                        processed,
                        expectedScores,
                        written,
                        alerts.records(),
                        steady.isEmpty() ? -1 : steady.get(0).millis(),
                        steady.isEmpty() ? -1 : steady.get(steady.size() - 1).millis(),
                        ThroughputMath.steadyRate(progress.samples(), input),
                        written < 2
                                ? Double.NaN
                                : ThroughputMath.eventsPerSecond(
                                        written, scores.firstAppendMillis(), scores.lastAppendMillis()),
                        (t1 - t0) / 1e9,
                        progress.firstMillis() < 0 ? Double.NaN : (progress.firstMillis() - submittedAt) / 1e3,
                        cpuSeconds,
                        ThroughputMath.coresUsed(cpu1 - cpu0, t1 - t0),
                        others,
                        rss,
                        sampler.peakRssBytes(),
                        byRole,
                        target.runsInThisJvm() ? sampler.byThreadName(8) : Map.of(),
                        checkpoint);
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

    /**
     * Reads the job's progress metric every {@link Progress#POLL} until every input reading is through its
     * keyed task (and, for a variant writing scores, every score record is committed); meanwhile reads
     * the score records. A run without progress for the stall timeout fails, with a thread dump.
     */
    private void awaitProcessed(
            JobVariant variant,
            Progress progress,
            OutputMeter scores,
            CompletableFuture<JobExecutionResult> result,
            long input,
            long expectedScores)
            throws InterruptedException {
        long started = System.nanoTime();
        long nextProgress = started + options.progressInterval().toNanos();
        while (true) {
            if (scores != null) {
                scores.poll(Progress.POLL);
            } else {
                Thread.sleep(Progress.POLL.toMillis());
            }
            progress.sample();
            long written = scores == null ? 0 : scores.records();
            if (options.progress() != null && System.nanoTime() > nextProgress) {
                nextProgress += options.progressInterval().toNanos();
                options.progress()
                        .printf(
                                Locale.ROOT,
                                "  ... %.0f s: %,d of %,d readings through%s%n",
                                (System.nanoTime() - started) / 1e9,
                                Math.max(0, progress.count()),
                                input,
                                scores == null
                                        ? ""
                                        : String.format(
                                                Locale.ROOT,
                                                ", %,d of %,d score records committed",
                                                written,
                                                expectedScores));
                options.progress().flush();
            }
            if (result.isDone()) {
                failIfFailed(variant, result, progress.count(), input);
                if (scores != null) {
                    scores.drain(Duration.ofSeconds(30)); // the job has ended: everything it committed is readable
                }
                progress.sample();
                return;
            }
            if (progress.count() >= input && written >= expectedScores) {
                return;
            }
            Duration allowed = progress.count() <= 0 ? options.firstOutputTimeout() : options.stallTimeout();
            long quietNanos = Math.min(
                    progress.nanosSinceChange(), scores == null ? Long.MAX_VALUE : scores.nanosSinceProgress());
            if (quietNanos > allowed.toNanos()) {
                if (options.progress() != null) {
                    options.progress().println(ThreadDump.of(t -> true));
                    options.progress().flush();
                }
                throw new IllegalStateException(String.format(
                        Locale.ROOT,
                        "%s stalled: no progress for %s after %,d of"
                                + " %,d readings through and %,d of %,d score records",
                        variant.cliName(),
                        allowed,
                        progress.count(),
                        input,
                        written,
                        expectedScores));
            }
        }
    }

    /**
     * Waits until every alert the scoring operator emitted is committed (the exactly-once sink commits on
     * the next checkpoints), or the job has ended (its final checkpoint commits them), and returns how
     * many were emitted, as last read.
     */
    private long awaitAlertsCommitted(
            JobVariant variant, Progress progress, OutputMeter alerts, CompletableFuture<JobExecutionResult> result)
            throws InterruptedException {
        long deadline = System.nanoTime() + END_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && !result.isDone()) {
            alerts.poll(Progress.POLL);
            progress.sample();
            long emitted = progress.alertsEmitted();
            if (emitted >= 0 && alerts.records() == emitted) {
                Thread.sleep(2 * Progress.FETCHER_INTERVAL.toMillis()); // the emitted count may lag: read it again
                alerts.poll(Progress.POLL);
                progress.sample();
                if (progress.alertsEmitted() == emitted && alerts.records() == emitted) {
                    return emitted;
                }
            }
        }
        if (result.isDone()) {
            return progress.alertsEmitted();
        }
        throw new IllegalStateException(String.format(
                Locale.ROOT,
                "%s: %,d alerts committed within %s of the end, but" + " its scoring operator emitted %,d",
                variant.cliName(),
                alerts.records(),
                END_TIMEOUT,
                progress.alertsEmitted()));
    }

    /** Waits for a job that ends at the end of its input (all its output is committed by then). */
    private static void awaitEnd(
            JobVariant variant, CompletableFuture<JobExecutionResult> result, long input, long processed)
            throws InterruptedException {
        try {
            result.get(END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            failIfFailed(variant, result, processed, input);
        } catch (TimeoutException e) {
            throw new IllegalStateException(variant.cliName() + " took all " + input + " readings through but did not"
                    + " end within " + END_TIMEOUT + " at the end of its bounded input");
        }
    }

    private static void failIfFailed(
            JobVariant variant, CompletableFuture<JobExecutionResult> result, long processed, long input)
            throws InterruptedException {
        try {
            result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    String.format(
                            Locale.ROOT,
                            "%s failed after %,d of %,d readings: %s",
                            variant.cliName(),
                            processed,
                            input,
                            rootCause(e)),
                    e);
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
        return !variant.writesScores()
                ? "alerts only"
                : variant.scores()
                        ? keys + " keys x (" + workload.eventsPerKey() + " events - "
                                + (workload.model().window() - 1) + " before the first full window)"
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
