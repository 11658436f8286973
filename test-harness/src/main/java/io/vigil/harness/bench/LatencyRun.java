package io.vigil.harness.bench;

import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.LabeledReading;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.write.KafkaReadingWriter;
import io.vigil.job.config.JobConfig;
import io.vigil.job.config.VigilOptions;
import io.vigil.schemas.Alert;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.WireFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Latency under a steady load below the maximum: a job variant reads a fresh topic (unbounded, the
 * way it runs in production) while a paced producer writes live readings to it, stamped with the
 * wall clock as their event time. First each key gets {@link #PREFIX} readings unpaced, so its window
 * is full and every live reading is scored; then readings go out at {@code rate} per second for the
 * settle time and the measured time.
 *
 * <p>The outputs measured are the variant's product: the pass-through's (and {@code vigil-scores}') one
 * record per reading, the Vigil jobs' alerts. Latency of an output record = its broker append time on
 * the output topic minus the broker append time of its input reading (both topics {@code LogAppendTime}; the reading's is carried in
 * the output as {@code ingestTime}): from arrival in Kafka to written to Kafka. A read_committed
 * consumer sees the record later, when the exactly-once sink commits on the next checkpoint; that
 * "visible" latency (wall clock when polled minus append time of the input) is reported beside it.
 * Only outputs of readings that arrived within the measured time count.
 */
public final class LatencyRun {

    /** Readings per key before the paced phase: a full window (32) and some. */
    public static final int PREFIX = 40;
    /** The name the Kafka client gives its producer's I/O thread (which sends the paced readings). */
    static final String PRODUCER_IO_THREAD = "kafka-producer-network-thread";
    /** Event-time spacing of a key's prefix readings (they end at the start of the live phase). */
    static final long PREFIX_SPACING_MILLIS = 100;

    /**
     * @param targetRate readings per second asked of the producer; {@code producedRate} what it achieved
     * @param measured outputs whose readings arrived in the measured time: score records (every reading of
     *     it: keys are warm) for the variants that write them, else alerts, the job's product
     * @param coresUsed CPU of the target's processes over the measured time
     * @param aroundCheckpoints the measured outputs split by whether a checkpoint overlapped them; null
     *     where the target keeps no checkpoint history
     * @param producerMaxBehindMillis the latest the paced producer sent any reading against its schedule
     *     (settling included): it then catches up in a burst, so the job's load was not steady
     * @param loadPriority the CPU priority the producer and the broker had over the job ({@link LoadPriority})
     */
    public record Result(
            String variant,
            int keys,
            double targetRate,
            double producedRate,
            double settleSeconds,
            double seconds,
            long measured,
            double p50Millis,
            double p99Millis,
            double maxMillis,
            double visibleP50Millis,
            double visibleP99Millis,
            long alerts,
            double alertP50Millis,
            double alertP99Millis,
            double coresUsed,
            long rssBytes,
            ExecutionTarget.Checkpoint checkpoint,
            List<Sample> timeline,
            CheckpointOverlap.Split aroundCheckpoints,
            long producerMaxBehindMillis,
            String loadPriority) {

        public Result {
            timeline = List.copyOf(timeline);
        }
    }

    /**
     * One interval of a long run (a soak): the latency of the outputs of readings that arrived in it, the
     * readings through the job's keyed task per second over it (its {@link JobVariant#progressMetric}: equal
     * to the offered rate while the job keeps up, its capacity when it is behind; NaN where not read), and
     * at its end how late the paced producer was against its schedule, the TaskManagers' resident memory
     * and the latest checkpoint.
     */
    public record Sample(
            double endSeconds,
            long outputs,
            double p50Millis,
            double p99Millis,
            double throughPerSecond,
            long producerBehindMillis,
            List<Long> taskManagerRss,
            ExecutionTarget.Checkpoint checkpoint) {

        public Sample {
            taskManagerRss = List.copyOf(taskManagerRss);
        }
    }

    /** Runs of at least this long get a timeline, one sample per {@link #TIMELINE_STEP}. */
    static final Duration TIMELINE_FROM = Duration.ofMinutes(2);

    static final Duration TIMELINE_STEP = Duration.ofSeconds(60);
    /** How long before a timeline boundary the job's metrics are requested once, so that they are fresh at it. */
    static final long PRIME_MILLIS = 3 * Progress.FETCHER_INTERVAL.toMillis() + 1_000;

    private final ExecutionTarget target;
    private final Workload workload;
    private final JobRunner runner;
    private final WorkloadPreparer.TopicCreator topics;
    private final BenchmarkSettings settings;

    public LatencyRun(
            ExecutionTarget target,
            Workload workload,
            JobRunner runner,
            WorkloadPreparer.TopicCreator topics,
            BenchmarkSettings settings) {
        this.target = target;
        this.workload = workload;
        this.runner = runner;
        this.topics = topics;
        this.settings = settings;
    }

    /** Runs {@code variant} at {@code rate} readings/s: {@code settle} not measured, then {@code measure}. */
    public Result run(JobVariant variant, double rate, Duration settle, Duration measure, int run, PrintWriter out)
            throws Exception {
        String runId = String.format(Locale.ROOT, "lat-%02d-%s", run, variant.cliName());
        Map<String, String> jobSettings = runner.jobSettings(variant, runId);
        jobSettings.put(VigilOptions.TOPIC_READINGS.key(), runId + "-readings");
        jobSettings.put(VigilOptions.STOP_AT_END.key(), "false");
        if (settings.jobOptions().containsKey(JobRunner.ALIGNMENT)) {
            jobSettings.put(JobRunner.ALIGNMENT, settings.jobOptions().get(JobRunner.ALIGNMENT));
        }
        JobConfig config = JobConfig.fromMap(jobSettings);
        topics.create(config.readingsTopic(), workload.partitions(), Map.of("message.timestamp.type", "LogAppendTime"));
        runner.createOutputTopics(config);
        int keys = variant.usesSmallInput() ? workload.smallKeys() : workload.keys();
        double seconds = (settle.toMillis() + measure.toMillis()) / 1000.0;
        int live = (int) Math.ceil(rate * seconds / keys);
        SensorStreamGenerator generator = new SensorStreamGenerator(GeneratorConfig.builder()
                .entities(keys)
                .channels(WorkloadPreparer.channelNames(settings.channels()))
                .eventsPerEntity(PREFIX + live)
                .seed(settings.seed())
                .anomaliesPerEntity(WorkloadPreparer.anomaliesPerKey(PREFIX + live))
                .build());

        StreamExecutionEnvironment env = target.newEnvironment();
        variant.wire(env, config);
        JobClient client = env.executeAsync(runId);
        String jobId = client.getJobID().toString();
        Meter meter = new Meter(
                variant.writesScores() ? config.scoresTopic() : config.alertsTopic(),
                config.alertsTopic(),
                measure.compareTo(TIMELINE_FROM) >= 0 ? TIMELINE_STEP.toMillis() : 0,
                jobId,
                variant);
        Progress progress = new Progress(target.rest(), jobId, variant);
        Thread reader = new Thread(meter, "latency-meter");
        reader.setDaemon(true);
        reader.start();
        try {
            Map<String, Long> last = new HashMap<>();
            Map<String, Integer> seen = new HashMap<>();
            try (KafkaReadingWriter w = new KafkaReadingWriter(
                    KafkaReadingWriter.Config.of(workload.bootstrapServers(), config.readingsTopic()),
                    generator.channels())) {
                int warm = 0;
                // The prefix is stamped in the past, PREFIX_SPACING apart per key, so that the watermark (its
                // newest reading less the out-of-orderness) passes nearly all of it: written faster than the
                // out-of-orderness, a few keys' prefixes (the naive variant's) would otherwise all wait for the
                // live readings, and the warm-up would never show output.
                long base = System.currentTimeMillis();
                for (LabeledReading r : generator) {
                    int n = seen.merge(r.entityId(), 1, Integer::sum);
                    if (n <= PREFIX) {
                        w.accept(at(r, base - (long) (PREFIX - n) * PREFIX_SPACING_MILLIS, last));
                        if (n == PREFIX && ++warm == keys) {
                            break; // the stream runs in time order: every key has its prefix
                        }
                    }
                }
                w.finish();
            }
            // The live phase starts once the job has caught up, so its start-up is not latency: nearly every
            // prefix reading is through its keyed task (those of the last out-of-orderness interval wait for the
            // live readings' watermark) and the count has stopped growing.
            long prefix = (long) keys * PREFIX;
            long stableFor = 3 * Progress.FETCHER_INTERVAL.toNanos() + 1_000_000_000L;
            boolean caughtUp;
            try {
                Awaitility.await()
                        .atMost(Duration.ofMinutes(3))
                        .pollInterval(Progress.POLL)
                        .until(() -> {
                            progress.sample();
                            return meter.failure.get() != null
                                    || (progress.count() >= 0.9 * prefix && progress.nanosSinceChange() >= stableFor);
                        });
                caughtUp = meter.failure.get() == null;
            } catch (ConditionTimeoutException e) {
                caughtUp = false;
            }
            if (!caughtUp) {
                throw new IllegalStateException(
                        String.format(
                                Locale.ROOT,
                                "%s did not catch up with the warm-up" + " readings within 3 min (%,d of %,d through)",
                                variant.cliName(),
                                progress.count(),
                                prefix),
                        meter.failure.get());
            }
            out.printf(
                    Locale.ROOT,
                    "  %,d keys warmed with %d readings each (%,d through, %,d outputs); %.0f readings/s"
                            + " for %.0f s%n",
                    keys,
                    PREFIX,
                    progress.count(),
                    meter.total.get(),
                    rate,
                    seconds);
            out.flush();
            seen.clear();
            long liveStart = System.currentTimeMillis();
            meter.window(liveStart + settle.toMillis(), liveStart + settle.toMillis() + measure.toMillis());
            KafkaReadingWriter.Report report;
            String priority;
            try (KafkaReadingWriter w = new KafkaReadingWriter(
                            KafkaReadingWriter.Config.of(workload.bootstrapServers(), config.readingsTopic())
                                    .withRate(rate),
                            generator.channels());
                    LoadPriority load = LoadPriority.raise(target.loadPids(), List.of(PRODUCER_IO_THREAD))) {
                priority = load.describe();
                meter.producer = w;
                for (LabeledReading r : generator) {
                    if (seen.merge(r.entityId(), 1, Integer::sum) > PREFIX) {
                        w.accept(now(r, last));
                    }
                }
                report = w.finish();
            }
            // every output of the measured readings is appended and committed within a few checkpoints
            Thread.sleep(settings.checkpointInterval().toMillis() * 3 + 3000);
            ExecutionTarget.Checkpoint checkpoint = target.latestCheckpoint(jobId);
            List<CheckpointOverlap.Span> history = target.checkpointHistory(jobId);
            meter.stop();
            reader.join(30_000);
            if (meter.failure.get() != null) {
                throw new IllegalStateException("reading the outputs of " + runId + " failed", meter.failure.get());
            }
            return new Result(
                    variant.cliName(),
                    keys,
                    rate,
                    report.eventsPerSecond(),
                    settle.toMillis() / 1000.0,
                    measure.toMillis() / 1000.0,
                    meter.measured.count(),
                    meter.measured.percentile(0.50),
                    meter.measured.percentile(0.99),
                    meter.measured.max(),
                    meter.visible.percentile(0.50),
                    meter.visible.percentile(0.99),
                    meter.alerts.count(),
                    meter.alerts.percentile(0.50),
                    meter.alerts.percentile(0.99),
                    meter.coresUsed(),
                    target.rssBytes(),
                    checkpoint,
                    meter.timeline(),
                    history.isEmpty() ? null : CheckpointOverlap.split(meter.outputs, history, meter.from, meter.to),
                    report.maxBehindMillis(),
                    priority);
        } finally {
            meter.stop();
            try {
                client.cancel().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                out.println("  (cancelling " + runId + ": " + e.getMessage() + ")");
            }
        }
    }

    /** The reading stamped with the wall clock, one millisecond after the key's previous one at least. */
    private static LabeledReading now(LabeledReading r, Map<String, Long> last) {
        return at(r, System.currentTimeMillis(), last);
    }

    /** {@code r} stamped at {@code time}, or just after its key's previous reading if that is later. */
    private static LabeledReading at(LabeledReading r, long time, Map<String, Long> last) {
        long t = Math.max(time, last.getOrDefault(r.entityId(), 0L) + 1);
        last.put(r.entityId(), t);
        return new LabeledReading(r.entityId(), Instant.ofEpochMilli(t), r.values(), r.anomalous(), r.anomalyId());
    }

    /**
     * Millisecond latencies in an HdrHistogram: 3 significant digits (exact below 2,048 ms, within 0.1%
     * above), no upper bound; the maximum is kept exact. Written by the meter's thread, read by the run's.
     */
    static final class Histogram {
        private final org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
        private long max;

        synchronized void add(long millis) {
            long m = Math.max(0, millis);
            h.recordValue(m);
            max = Math.max(max, m);
        }

        synchronized long count() {
            return h.getTotalCount();
        }

        synchronized double max() {
            return h.getTotalCount() == 0 ? Double.NaN : max;
        }

        /** The latency at or below which a fraction {@code q} of the records fall (NaN when there are none). */
        synchronized double percentile(double q) {
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(100 * q);
        }
    }

    /** Reads the score and alert topics (read_committed) and records the latency of each measured output. */
    private final class Meter implements Runnable {
        /** Latency of every measured output: score records, or alerts for a variant that writes no scores. */
        final Histogram measured = new Histogram();

        final Histogram visible = new Histogram();
        final Histogram alerts = new Histogram();
        final CheckpointOverlap.Outputs outputs = new CheckpointOverlap.Outputs();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        /** Outputs read so far, measured or not. */
        final java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final String outputsTopic;
        private final String alertsTopic;
        private volatile long from = Long.MAX_VALUE;
        private volatile long to = Long.MAX_VALUE;
        private long cpuAtFrom = -1;
        private long cpuAtTo = -1;
        private long nanosAtFrom;
        private long nanosAtTo;

        private final long stepMillis;
        private final String jobId;
        private final JobVariant variant;
        /** Readings through the keyed task at the previous sample (or the window's start), and when read. */
        private long throughBefore = -1;
        /** The latest boundary (0 = the window's start) whose metrics request was preceded by a priming one. */
        private long primed = -1;
        /** The paced producer of the live readings, once it exists. */
        volatile KafkaReadingWriter producer;

        private long throughBeforeNanos;
        private final List<Histogram> steps = new java.util.ArrayList<>();
        private final List<Sample> samples = new java.util.ArrayList<>();

        /**
         * @param outputsTopic the variant's product, whose every record is measured: its scores topic when it
         *     writes one, else its alerts
         */
        Meter(String outputsTopic, String alertsTopic, long stepMillis, String jobId, JobVariant variant) {
            this.outputsTopic = outputsTopic;
            this.alertsTopic = alertsTopic;
            this.stepMillis = stepMillis;
            this.jobId = jobId;
            this.variant = variant;
        }

        /** Readings through the job's keyed task, as its metrics last told the JobManager; -1 if not read. */
        private long through() {
            try {
                return Progress.readingsThrough(target.rest(), jobId, variant);
            } catch (RuntimeException e) {
                return -1;
            }
        }

        /** Readings/s through the keyed task since the previous call (NaN if either count is unknown). */
        private double throughRate() {
            long now = through();
            long nanos = System.nanoTime();
            double rate = now < 0 || throughBefore < 0
                    ? Double.NaN
                    : (now - throughBefore) / ((nanos - throughBeforeNanos) / 1e9);
            throughBefore = now;
            throughBeforeNanos = nanos;
            return rate;
        }

        /** The samples, each with the latency of the readings that arrived in its interval. */
        synchronized List<Sample> timeline() {
            List<Sample> out = new java.util.ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                Sample s = samples.get(i);
                Histogram h = i < steps.size() ? steps.get(i) : new Histogram();
                out.add(new Sample(
                        s.endSeconds(),
                        h.count(),
                        h.percentile(0.50),
                        h.percentile(0.99),
                        s.throughPerSecond(),
                        s.producerBehindMillis(),
                        s.taskManagerRss(),
                        s.checkpoint()));
            }
            return out;
        }

        private synchronized void step(long ingest, long latency) {
            if (stepMillis <= 0) {
                return;
            }
            int i = (int) ((ingest - from) / stepMillis);
            while (steps.size() <= i) {
                steps.add(new Histogram());
            }
            steps.get(i).add(latency);
        }

        /** At the end of each interval: the rate through the job, memory and the latest checkpoint now. */
        private void sampleTimeline(long wallMillis) {
            if (stepMillis <= 0 || wallMillis < from - PRIME_MILLIS) {
                return;
            }
            // The JobManager answers a metrics request from its latest fetch and only then fetches anew (when
            // the last is older than its interval): after a minute without a request the answer is a minute old.
            // A request shortly before each boundary makes the one at the boundary as fresh as the others.
            long next = samples.size() + (throughBeforeNanos == 0 ? 0 : 1); // the boundary read next
            if (primed < next && wallMillis >= from + next * stepMillis - PRIME_MILLIS) {
                through();
                primed = next;
            }
            if (wallMillis < from) {
                return;
            }
            if (throughBeforeNanos == 0) {
                throughRate(); // the count at the window's start
            }
            int due = (int) Math.min((wallMillis - from) / stepMillis, (to - from) / stepMillis);
            while (samples.size() < due) {
                List<Long> rss = target instanceof StandaloneTarget s ? s.taskManagerRss() : List.of(target.rssBytes());
                ExecutionTarget.Checkpoint c;
                try {
                    c = target.latestCheckpoint(jobId);
                } catch (RuntimeException e) {
                    c = null;
                }
                synchronized (this) {
                    KafkaReadingWriter w = producer;
                    samples.add(new Sample(
                            (samples.size() + 1) * stepMillis / 1000.0,
                            0,
                            Double.NaN,
                            Double.NaN,
                            throughRate(),
                            w == null ? -1 : w.behindMillis(),
                            rss,
                            c));
                }
            }
        }

        void window(long fromMillis, long toMillis) {
            from = fromMillis;
            to = toMillis;
        }

        void stop() {
            running.set(false);
        }

        synchronized double coresUsed() {
            return cpuAtFrom < 0 || cpuAtTo < 0
                    ? Double.NaN
                    : ThroughputMath.coresUsed(cpuAtTo - cpuAtFrom, nanosAtTo - nanosAtFrom);
        }

        @Override
        public void run() {
            var scoreDecoder = WireFormat.decoder(EventScore.class);
            var alertDecoder = WireFormat.decoder(Alert.class);
            try (KafkaConsumer<byte[], byte[]> consumer = CommittedRecords.consumer(
                    workload.bootstrapServers(),
                    "read_committed",
                    Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000"))) {
                List<TopicPartition> parts = new java.util.ArrayList<>();
                for (String topic : new java.util.LinkedHashSet<>(List.of(outputsTopic, alertsTopic))) {
                    consumer.partitionsFor(topic, Duration.ofSeconds(30))
                            .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
                }
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                while (running.get()) {
                    var records = consumer.poll(Duration.ofMillis(20));
                    long polled = System.currentTimeMillis();
                    sampleCpu(polled);
                    sampleTimeline(polled);
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        boolean alert = r.topic().equals(alertsTopic);
                        boolean output = r.topic().equals(outputsTopic);
                        if (output) {
                            total.incrementAndGet();
                        }
                        long ingest = alert
                                ? alertDecoder.decode(r.value()).getIngestTime().toEpochMilli()
                                : scoreDecoder.decode(r.value()).getIngestTime().toEpochMilli();
                        if (ingest < from || ingest >= to) {
                            continue;
                        }
                        long latency = r.timestamp() - ingest;
                        if (output) {
                            measured.add(latency);
                            outputs.add(ingest, latency);
                            step(ingest, latency);
                            visible.add(polled - ingest);
                        }
                        if (alert) {
                            alerts.add(latency);
                        }
                    }
                }
            } catch (IOException e) {
                failure.set(new UncheckedIOException(e));
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }

        private synchronized void sampleCpu(long wallMillis) {
            if (cpuAtFrom < 0 && wallMillis >= from) {
                cpuAtFrom = target.cpuNanos();
                nanosAtFrom = System.nanoTime();
            } else if (cpuAtTo < 0 && wallMillis >= to) {
                cpuAtTo = target.cpuNanos();
                nanosAtTo = System.nanoTime();
            }
        }
    }
}
