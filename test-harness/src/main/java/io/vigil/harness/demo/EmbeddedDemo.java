package io.vigil.harness.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import io.vigil.schemas.WireFormat;
import io.vigil.trainer.history.History;
import io.vigil.trainer.publish.Publication;
import io.vigil.trainer.publish.PublishOptions;
import io.vigil.trainer.publish.Publisher;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingConfig;
import io.vigil.trainer.training.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.io.file.PathUtils;
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
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

    private final DemoOptions options;
    private final PrintWriter out;
    private final long started = System.nanoTime();
    private int step;

    public EmbeddedDemo(DemoOptions options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the demo and returns its report (also written to the work directory). */
    public DemoReport run() throws Exception {
        Path work = options.workDir().toAbsolutePath();
        if (Files.exists(work)) {
            PathUtils.deleteDirectory(work);
        }
        Files.createDirectories(work);
        step("Starting Kafka (the real 4.2 broker, in this process, on 127.0.0.1)");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
            kafka.createTopic(READINGS, 4, Map.of());
            kafka.createTopic(ALERTS, 2, Map.of());
            kafka.createTopic(SCORES, 4, Map.of("message.timestamp.type", "LogAppendTime"));
            kafka.createTopic(DEAD_LETTER, 1, Map.of());
            kafka.createTopic(MODEL_UPDATES, 1, Map.of("cleanup.policy", "compact"));
            say(
                    "broker at %s; topics %s, %s, %s, %s, %s",
                    kafka.bootstrapServers(), READINGS, ALERTS, SCORES, DEAD_LETTER, MODEL_UPDATES);
            return withKafka(kafka, work);
        } finally {
            say("done in %.0f s", seconds());
            out.flush();
        }
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

        step(
                "Generating history: %d sensors x %d normal readings of %s",
                options.entities(), options.historyEvents(), live.channels());
        History history = TrainingHistory.of(historyGenerator);

        step("Training the LSTM next-step predictor and the autoencoder (DL4J, CPU)");
        TrainingConfig training = TrainingConfig.builder()
                .modelId(MODEL_ID)
                .maxEpochs(options.maxEpochs())
                .build();
        TrainingResult trained = new Trainer(training, ProgressListener.printingTo(out)).train(history);
        Path bundle = work.resolve("bundle");
        trained.writeTo(bundle);
        say("threshold %.6f calibrated on %d validation events", trained.threshold(), trained.validationEvents());

        step("Publishing the bundle to the model store and announcing it on %s", MODEL_UPDATES);
        Path store = work.resolve("model-store");
        Publication published =
                new Publisher(PublishOptions.toStore(store).withKafka(kafka.bootstrapServers())).publish(bundle);
        say("%s/%s at %s", published.modelId(), published.version(), published.directory());

        step("Starting the Vigil job on a Flink MiniCluster (parallelism %d)", options.parallelism());
        int uiPort = freePort(8081);
        StreamExecutionEnvironment env =
                LocalFlink.environment(options.parallelism(), String.valueOf(uiPort), new Configuration());
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(VigilOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        settings.put(VigilOptions.MODEL_STORE.key(), store.toString());
        settings.put(VigilOptions.MODEL_ID.key(), MODEL_ID);
        settings.put(VigilOptions.TOPIC_READINGS.key(), READINGS);
        settings.put(VigilOptions.TOPIC_ALERTS.key(), ALERTS);
        settings.put(VigilOptions.TOPIC_SCORES.key(), SCORES);
        settings.put(VigilOptions.TOPIC_DEAD_LETTER.key(), DEAD_LETTER);
        settings.put(VigilOptions.TOPIC_MODEL_UPDATES.key(), MODEL_UPDATES);
        settings.put(VigilOptions.STARTING_OFFSETS.key(), "earliest");
        settings.put(VigilOptions.TRANSACTIONAL_ID_PREFIX.key(), "vigil-demo-" + System.currentTimeMillis());
        settings.put("execution.checkpointing.interval", CHECKPOINT_INTERVAL.toMillis() + "ms");
        JobConfig jobConfig = VigilJob.wireKafka(env, JobConfig.fromMap(settings));
        JobClient job = env.executeAsync("Vigil demo: " + MODEL_ID);
        try {
            awaitRunning(job);
            say("job %s running; Flink web UI at http://127.0.0.1:%d while the demo runs", job.getJobID(), uiPort);
            return stream(kafka, work, live, jobConfig, published);
        } finally {
            job.cancel().get();
        }
    }

    private DemoReport stream(
            EmbeddedKafka kafka, Path work, SensorStreamGenerator live, JobConfig jobConfig, Publication published)
            throws Exception {
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        var alertDecoder = WireFormat.decoder(Alert.class);
        RecentReadings recent = new RecentReadings(live.channels());
        OrderedAlertPrinter printer = new OrderedAlertPrinter(
                out, recent, CHECKPOINT_INTERVAL.multipliedBy(3).dividedBy(2));
        try (TopicTail alertTail = new TopicTail(kafka.bootstrapServers(), ALERTS, batch -> {
                    List<Alert> decoded = new ArrayList<>();
                    for (var r : batch) {
                        try {
                            decoded.add(alertDecoder.decode(r.value()));
                        } catch (IOException e) {
                            out.println("    (an alert record could not be decoded: " + e.getMessage() + ")");
                        }
                    }
                    alerts.addAll(decoded);
                    printer.accept(decoded);
                });
                TopicTail scores = new TopicTail(kafka.bootstrapServers(), SCORES, batch -> {});
                TopicTail dead = new TopicTail(kafka.bootstrapServers(), DEAD_LETTER, batch -> {})) {
            step(
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
                    seconds(),
                    jobConfig.modelVersion());
            out.println();
            out.println(report.toText());
            out.flush();
            Files.writeString(work.resolve("report.txt"), report.toText());
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(work.resolve("report.json").toFile(), report.toJson());
            say("report written to %s (report.txt, report.json)", work);
            return report;
        }
    }

    private int trainedWindow(Path work) throws IOException {
        return new ObjectMapper()
                .readTree(work.resolve("bundle/manifest.json").toFile())
                .get("windowLength")
                .asInt();
    }

    private static long count(List<Alert> alerts, AlertStatus status) {
        return alerts.stream().filter(a -> a.getStatus() == status).count();
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

    private void step(String format, Object... args) {
        out.printf(Locale.ROOT, "%n[%d] %s%n", ++step, String.format(Locale.ROOT, format, args));
        out.flush();
    }

    private void say(String format, Object... args) {
        out.printf(Locale.ROOT, "    %s (%.0f s)%n", String.format(Locale.ROOT, format, args), seconds());
        out.flush();
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
