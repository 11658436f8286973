package io.vigil.harness.corpus;

import io.vigil.harness.flink.LocalFlink;
import io.vigil.harness.generate.LabeledReading;
import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.harness.write.KafkaReadingWriter;
import io.vigil.job.VigilJob;
import io.vigil.job.config.JobConfig;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.WireFormat;
import io.vigil.trainer.evaluation.bench.LabelledFile;
import io.vigil.trainer.evaluation.bench.NabFiles;
import io.vigil.trainer.evaluation.bench.Window;
import io.vigil.trainer.history.EntitySeries;
import io.vigil.trainer.history.History;
import io.vigil.trainer.history.HistoryReader;
import io.vigil.trainer.publish.Publication;
import io.vigil.trainer.publish.PublishOptions;
import io.vigil.trainer.publish.Publisher;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The benchmark protocol over a labelled corpus: fit one bundle (each file's own standardisation,
 * and its first rows or separate normal files as training data), then stream every row of every
 * file through the real pipeline (a Kafka broker and the Flink job on a MiniCluster, read to the
 * end), and collect what the job wrote: a score per row and the alerts. The verdict of a row is
 * whether an alert of its file was open at it (raised, not yet resolved).
 */
public final class CorpusRun {

    private static final String MODEL = "corpus";

    /** What the pipeline made of one file. */
    public record FileResult(String name, EntitySeries series, LabelledFile scored, double[] thresholds,
            List<Alert> alerts, int firstScored) {}

    /** Everything the run produced. */
    public record Result(List<FileResult> files, TrainingResult training, Publication model, long deadLettered,
            double seconds) {}

    private CorpusRun() {}

    /** A file's name in results and label files: its path from the root, whether either was given relative. */
    static String nameOf(Path root, Path file) {
        return root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString()
                .replace('\\', '/');
    }

    public static Result run(CorpusOptions o, PrintWriter out) throws Exception {
        long started = System.nanoTime();
        Map<String, List<Window>> windows = o.labelsJson() == null ? Map.of() : NabFiles.readLabels(o.labelsJson());
        List<EntitySeries> corpus = new ArrayList<>();
        for (Path f : o.files()) {
            String name = nameOf(o.root(), f);
            EntitySeries s = HistoryReader.read(f, o.history()).series().get(0);
            boolean[] labels = s.labels();
            if (!windows.isEmpty()) {
                labels = LabelledFile.labelsFromWindows(s.timestamps(), windows.getOrDefault(name, List.of()));
            }
            if (labels == null) {
                throw new IllegalArgumentException(name + " has no labels: name the label column (--label-column) or"
                        + " give the label windows (--labels-json)");
            }
            corpus.add(new EntitySeries(name, s.timestamps(), s.values(), labels, f.toString()));
        }
        var features = HistoryReader.read(o.files().get(0), o.history()).features();
        out.printf("corpus     %d files, %,d rows, channels %s%n", corpus.size(),
                corpus.stream().mapToInt(EntitySeries::size).sum(), features.names());

        // one bundle: every file's fitted rows (as its own key) and any normal-only files
        List<EntitySeries> fit = new ArrayList<>();
        for (EntitySeries s : corpus) {
            int n = o.fitted(s.size());
            if (n > 0) {
                fit.add(new EntitySeries(s.entity(), Arrays.copyOf(s.timestamps(), n), Arrays.copyOf(s.values(), n),
                        Arrays.copyOf(s.labels(), n), s.source()));
            }
        }
        for (Path f : o.fitFiles()) {
            EntitySeries s = HistoryReader.read(f, o.history()).series().get(0);
            fit.add(new EntitySeries("fit:" + f.getFileName(), s.timestamps(), s.values(), null, f.toString()));
        }
        Files.createDirectories(o.output());
        Path work = Files.createTempDirectory("vigil-corpus-");
        out.printf("training   on %,d rows of %d series (%s)%n", fit.stream().mapToInt(EntitySeries::size).sum(),
                fit.size(), o.fitRows() > 0 ? "first " + o.fitRows() + " rows of each file"
                        : o.fitFraction() > 0 ? "first " + o.fitFraction() + " of each file" : "normal-only files");
        TrainingResult trained = new Trainer(o.training(), ProgressListener.silent())
                .train(new History(features, fit, List.of("corpus fit")));
        Path bundle = work.resolve("bundle");
        trained.writeTo(bundle);
        Publication model = new Publisher(PublishOptions.toStore(work.resolve("store")).withoutAnnouncement())
                .publish(bundle);
        out.printf("model      %s/%s, window %d, threshold %.6f%n", model.modelId(), model.version(),
                trained.manifest().windowLength(), trained.threshold());

        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
            for (String t : List.of("readings", "alerts", "scores", "dead-letter", "model-updates")) {
                kafka.createTopic(t, t.equals("readings") || t.equals("scores") ? 4 : 1, Map.of());
            }
            long sent = produce(kafka.bootstrapServers(), corpus, features.names());
            out.printf("streamed   %,d rows through Kafka and the Flink job%n", sent);
            runJob(kafka.bootstrapServers(), work.resolve("store"), model.modelId(), o.jobSettings());
            Map<String, Map<Long, EventScore>> scores = new HashMap<>();
            var scoreDecoder = WireFormat.decoder(EventScore.class);
            for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.read(kafka.bootstrapServers(), "scores")) {
                EventScore s = scoreDecoder.decode(r.value());
                scores.computeIfAbsent(s.getEntityId(), k -> new HashMap<>()).put(s.getEventTime().toEpochMilli(), s);
            }
            Map<String, List<Alert>> alerts = new HashMap<>();
            var alertDecoder = WireFormat.decoder(Alert.class);
            for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.read(kafka.bootstrapServers(), "alerts")) {
                Alert a = alertDecoder.decode(r.value());
                alerts.computeIfAbsent(a.getEntityId(), k -> new ArrayList<>()).add(a);
            }
            long dead = CommittedRecords.read(kafka.bootstrapServers(), "dead-letter").size();
            List<FileResult> results = new ArrayList<>();
            for (EntitySeries s : corpus) {
                results.add(result(s, scores.getOrDefault(s.entity(), Map.of()),
                        alerts.getOrDefault(s.entity(), List.of()), o.firstScored(s.size())));
            }
            return new Result(results, trained, model, dead, (System.nanoTime() - started) / 1e9);
        }
    }

    /** Every row of every file, in event-time order across files, as SensorReadings keyed by file. */
    private static long produce(String bootstrap, List<EntitySeries> corpus, List<String> channels) {
        record Row(String entity, long time, double[] values) {}
        List<Row> rows = new ArrayList<>();
        for (EntitySeries s : corpus) {
            for (int i = 0; i < s.size(); i++) {
                rows.add(new Row(s.entity(), s.timestamps()[i], s.values()[i]));
            }
        }
        rows.sort(Comparator.comparingLong(Row::time));
        try (KafkaReadingWriter w = new KafkaReadingWriter(KafkaReadingWriter.Config.of(bootstrap, "readings"), channels)) {
            for (Row r : rows) {
                w.accept(new LabeledReading(r.entity(), Instant.ofEpochMilli(r.time()), r.values(), false, null));
            }
            return w.finish().readings();
        }
    }

    private static void runJob(String bootstrap, Path store, String modelId, Map<String, String> extra)
            throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("kafka.bootstrap-servers", bootstrap);
        settings.put("model.store", store.toString());
        settings.put("model.id", modelId);
        settings.put("topic.readings", "readings");
        settings.put("topic.alerts", "alerts");
        settings.put("topic.scores", "scores");
        settings.put("topic.dead-letter", "dead-letter");
        settings.put("topic.model-updates", "model-updates");
        settings.put("kafka.starting-offsets", "earliest");
        settings.put("kafka.stop-at-end", "true");
        settings.put("sink.transactional-id-prefix", "vigil-corpus-" + System.nanoTime());
        settings.put("execution.checkpointing.interval", "1s");
        settings.putAll(extra);
        StreamExecutionEnvironment env = LocalFlink.environment(2, "0", new Configuration());
        VigilJob.wireKafka(env, JobConfig.fromMap(settings));
        env.execute("vigil corpus benchmark");
    }

    /** Per row: the job's score (0 where it wrote none) and whether an alert was open. */
    private static FileResult result(EntitySeries s, Map<Long, EventScore> scores, List<Alert> alerts, int firstScored) {
        int n = s.size();
        double[] score = new double[n];
        double[] threshold = new double[n];
        Arrays.fill(threshold, Double.NaN);
        for (int i = 0; i < n; i++) {
            EventScore e = scores.get(s.timestamps()[i]);
            score[i] = e == null ? 0 : e.getScore();
            if (e != null) {
                threshold[i] = e.getThreshold();
            }
        }
        boolean[] predicted = new boolean[n];
        Map<String, Long> raised = new HashMap<>();
        List<Alert> ordered = new ArrayList<>(alerts);
        ordered.sort(Comparator.comparing(Alert::getEventTime));
        for (Alert a : ordered) {
            if (a.getStatus() == AlertStatus.OPEN) {
                raised.put(a.getAlertId(), a.getEventTime().toEpochMilli());
            } else if (a.getStatus() == AlertStatus.RESOLVED && raised.containsKey(a.getAlertId())) {
                mark(s.timestamps(), predicted, raised.remove(a.getAlertId()), a.getEventTime().toEpochMilli());
            }
        }
        raised.values().forEach(from -> mark(s.timestamps(), predicted, from, Long.MAX_VALUE));
        LabelledFile scored = LabelledFile.ofLabels(s.entity(), s.timestamps(), s.labels()).withScores(score)
                .withPredicted(predicted);
        return new FileResult(s.entity(), s, scored, threshold, ordered, firstScored);
    }

    /** Rows in [from, to): raised at {@code from}, resolved (by a quiet row) at {@code to}. */
    private static void mark(long[] t, boolean[] predicted, long from, long to) {
        for (int i = 0; i < t.length; i++) {
            if (t[i] >= from && t[i] < to) {
                predicted[i] = true;
            }
        }
    }

    /** Writes one results CSV per file: timestamp, the value columns, anomaly_score, label. */
    static void writeResults(Path dir, FileResult f, List<String> channels) throws IOException {
        Path file = dir.resolve(f.name());
        Files.createDirectories(file.getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("timestamp," + String.join(",", channels.stream().map(CorpusRun::csv).toList())
                    + ",anomaly_score,label");
            for (int i = 0; i < f.series().size(); i++) {
                StringBuilder line = new StringBuilder(NabFiles.formatTimestamp(f.series().timestamps()[i]));
                for (double v : f.series().values()[i]) {
                    line.append(',').append(v);
                }
                line.append(',').append(f.scored().scores()[i]).append(',').append(f.scored().labels()[i] ? 1 : 0);
                w.println(line);
            }
        }
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
