package io.vigil.harness.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.harness.evaluate.AlertEvaluation;
import io.vigil.harness.evaluate.AlertEvaluator;
import io.vigil.harness.evaluate.AlertLog;
import io.vigil.harness.flink.LocalFlink;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.LabeledReading;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.generate.TrainingHistory;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.harness.truth.EventLabel;
import io.vigil.harness.truth.GroundTruth;
import io.vigil.harness.write.KafkaReadingWriter;
import io.vigil.job.VigilJob;
import io.vigil.job.config.JobConfig;
import io.vigil.job.config.VigilOptions;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.trainer.history.History;
import io.vigil.trainer.publish.Publication;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingConfig;
import io.vigil.trainer.training.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The whole system in one process, for a first look: a real Kafka broker, history generated and both
 * models trained on it, the bundle published and announced, the real job on a Flink MiniCluster,
 * live readings with injected anomalies (and some garbage) streamed through it, alerts printed as
 * they commit, and a summary judged against the ground truth.
 */
public final class EmbeddedDemo {

    static final String READINGS = "vigil-readings";
    static final String ALERTS = "vigil-alerts";
    static final String SCORES = "vigil-scores";
    static final String DEAD_LETTER = "vigil-dead-letter";
    static final String MODEL_UPDATES = "vigil-model-updates";
    static final String MODEL_ID = "demo-sensors";
    private static final DemoBroker.Topics TOPICS = new DemoBroker.Topics(READINGS, ALERTS, SCORES, DEAD_LETTER);
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

    private final DemoOptions options;
    private final PrintWriter out;
    private final DemoConsole console;

    public EmbeddedDemo(DemoOptions options, PrintWriter out) {
        this.options = options;
        this.out = out;
        this.console = new DemoConsole(out);
    }

    /** Runs the demo and returns its report (also written to the work directory). */
    public DemoReport run() throws Exception {
        return DemoBroker.run(console, options.workDir(), TOPICS, this::withKafka);
    }

    private DemoReport withKafka(EmbeddedKafka kafka, Path work) throws Exception {
        GeneratorConfig liveConfig = GeneratorConfig.builder()
                .entities(options.entities())
                .eventsPerEntity(options.liveEvents())
                .anomaliesPerEntity(options.anomaliesPerEntity())
                .seed(options.seed())
                .build();
        SensorStreamGenerator live = new SensorStreamGenerator(liveConfig);
        Instant historyStart = liveConfig.start().minusMillis(options.historyEvents() * liveConfig.intervalMillis());
        SensorStreamGenerator historyGenerator =
                live.history(options.seed() + 1, historyStart, options.historyEvents());

        console.step(
                "Generating history: %d sensors x %d normal readings of %s",
                options.entities(), options.historyEvents(), live.channels());
        History history = TrainingHistory.of(historyGenerator);

        console.step("Training the LSTM next-step predictor and the autoencoder (DL4J, CPU)");
        TrainingConfig training = TrainingConfig.builder()
                .modelId(MODEL_ID)
                .maxEpochs(options.maxEpochs())
                .build();
        TrainingResult trained = new Trainer(training, ProgressListener.printingTo(out)).train(history);
        Path bundle = work.resolve("bundle");
        trained.writeTo(bundle);
        console.say(
                "threshold %.6f calibrated on %d validation events", trained.threshold(), trained.validationEvents());

        Path store = work.resolve("model-store");
        Publication published = DemoBroker.publish(console, kafka, bundle, store);

        Map<String, String> settings = jobSettings(kafka.bootstrapServers(), store);
        settings.put(VigilOptions.MODEL_ID.key(), MODEL_ID);
        settings.put(VigilOptions.TOPIC_READINGS.key(), READINGS);
        settings.put(VigilOptions.TOPIC_ALERTS.key(), ALERTS);
        settings.put(VigilOptions.TOPIC_SCORES.key(), SCORES);
        settings.put(VigilOptions.TOPIC_DEAD_LETTER.key(), DEAD_LETTER);
        Started started = startJob(console, options.parallelism(), JobConfig.fromMap(settings), MODEL_ID);
        JobConfig jobConfig = started.config();
        JobClient job = started.job();
        try {
            return stream(kafka, work, live, jobConfig, published);
        } finally {
            job.cancel().get();
        }
    }

    private DemoReport stream(
            EmbeddedKafka kafka, Path work, SensorStreamGenerator live, JobConfig jobConfig, Publication published)
            throws Exception {
        RecentReadings recent = new RecentReadings(live.channels());
        OrderedAlertPrinter printer = new OrderedAlertPrinter(
                out,
                a -> AlertFormat.line(a, recent),
                CHECKPOINT_INTERVAL.multipliedBy(3).dividedBy(2));
        try (DemoBroker.Tails tails = new DemoBroker.Tails(kafka.bootstrapServers(), TOPICS, printer, out)) {
            List<Alert> alerts = tails.alerts;
            TopicTail scores = tails.scores;
            TopicTail dead = tails.deadLetters;
            console.step(
                    "Streaming %d live readings (%d sensors, %d anomalies injected, %.1f%% extra garbage records) at %.0f/s;"
                            + " alerts appear as their Kafka transaction commits (every %d s)",
                    options.liveReadings(),
                    options.entities(),
                    live.groundTruth().size(),
                    100 * options.garbageFraction(),
                    options.rate(),
                    CHECKPOINT_INTERVAL.toSeconds());
            List<EventLabel> labels = new ArrayList<>();
            KafkaReadingWriter.Report sent;
            long streamStart = System.nanoTime();
            try (KafkaReadingWriter writer = new KafkaReadingWriter(
                    KafkaReadingWriter.Config.of(kafka.bootstrapServers(), READINGS)
                            .withRate(options.rate())
                            .withGarbage(options.garbageFraction(), options.seed()),
                    live.channels())) {
                for (LabeledReading r : live) {
                    recent.add(r);
                    writer.accept(r);
                    labels.add(new EventLabel(r.entityId(), r.eventTime().toEpochMilli(), r.anomalous()));
                }
                sent = writer.finish();
            }
            double streamSeconds = (System.nanoTime() - streamStart) / 1e9;
            int window = trainedWindow(work);
            long expectedScores = (long) options.entities() * (options.liveEvents() - window + 1);
            long scored = scores.awaitCount(expectedScores, Duration.ofSeconds(120));
            long deadLettered = dead.awaitCount(sent.garbageTotal(), Duration.ofSeconds(30));
            Thread.sleep(2 * CHECKPOINT_INTERVAL.toMillis()); // the last resolves commit with the next checkpoint
            printer.flush();
            AlertEvaluation evaluation =
                    AlertEvaluator.forTruth(GroundTruth.of(live), labels).evaluate(AlertLog.of(List.copyOf(alerts)));
            double scoreSpan = Math.max(1, scores.lastTimestamp() - scores.firstTimestamp()) / 1000.0;
            DemoReport report = new DemoReport(
                    Instant.now().toString(),
                    options,
                    published.modelId(),
                    published.version(),
                    sent.readings(),
                    sent.garbageTotal(),
                    deadLettered,
                    scored,
                    expectedScores,
                    count(alerts, AlertStatus.OPEN),
                    count(alerts, AlertStatus.RESOLVED),
                    evaluation,
                    scored / scoreSpan,
                    sent.readings() / streamSeconds,
                    console.seconds(),
                    jobConfig.modelVersion());
            DemoBroker.writeReport(console, work, report.toText(), report.toJson());
            return report;
        }
    }

    private int trainedWindow(Path work) throws IOException {
        return new ObjectMapper()
                .readTree(work.resolve("bundle/manifest.json").toFile())
                .get("windowLength")
                .asInt();
    }

    static long count(List<Alert> alerts, AlertStatus status) {
        return alerts.stream().filter(a -> a.getStatus() == status).count();
    }

    /** What every demo's job is given: the broker, the store and its announcements, from the start, checkpoints. */
    static Map<String, String> jobSettings(String bootstrapServers, Path store) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(VigilOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
        settings.put(VigilOptions.MODEL_STORE.key(), store.toString());
        settings.put(VigilOptions.TOPIC_MODEL_UPDATES.key(), MODEL_UPDATES);
        settings.put(VigilOptions.STARTING_OFFSETS.key(), "earliest");
        settings.put(VigilOptions.TRANSACTIONAL_ID_PREFIX.key(), "vigil-demo-" + System.currentTimeMillis());
        settings.put("execution.checkpointing.interval", CHECKPOINT_INTERVAL.toMillis() + "ms");
        return settings;
    }

    /** A running job, and its configuration as wired (the model version resolved). */
    record Started(JobClient job, JobConfig config) {}

    /** Starts the job on a MiniCluster (its web UI on 8081, or a free port) and waits until it runs. */
    static Started startJob(DemoConsole console, int parallelism, JobConfig config, String modelId) throws Exception {
        console.step("Starting the Vigil job on a Flink MiniCluster (parallelism %d)", parallelism);
        int uiPort = freePort(8081);
        StreamExecutionEnvironment env =
                LocalFlink.environment(parallelism, String.valueOf(uiPort), new Configuration());
        JobConfig wired = VigilJob.wireKafka(env, config);
        JobClient job = env.executeAsync("Vigil demo: " + modelId);
        try {
            awaitRunning(job);
        } catch (Exception e) {
            job.cancel();
            throw e;
        }
        console.say("job %s running; Flink web UI at http://127.0.0.1:%d while the demo runs", job.getJobID(), uiPort);
        return new Started(job, wired);
    }

    private static void awaitRunning(JobClient job) throws Exception {
        JobStatus status;
        try {
            status = Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> job.getJobStatus().get(), s -> s == JobStatus.RUNNING || s.isGloballyTerminalState());
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("The job did not start running within 60 s");
        }
        if (status != JobStatus.RUNNING) {
            job.getJobExecutionResult().get(); // throws the job's failure
            throw new IllegalStateException("The job ended before it ran: " + status);
        }
    }

    private static int freePort(int preferred) throws IOException {
        try (ServerSocket s = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
            return preferred;
        } catch (IOException busy) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }
}
