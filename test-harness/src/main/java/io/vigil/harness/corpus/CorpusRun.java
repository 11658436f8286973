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
import io.vigil.trainer.evaluation.corpus.LabelledFile;
import io.vigil.trainer.evaluation.corpus.NabFiles;
import io.vigil.trainer.evaluation.corpus.Window;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The benchmark protocol over a labelled corpus: fit one bundle (each file's own standardisation, and
 * its first rows or separate normal files as training data), then stream every row of every file
 * through the real pipeline (a Kafka broker and the Flink job on a MiniCluster, read to the end), and
 * collect what the job wrote: a score per row and the alerts.
 *
 * <p>Rows are scored <em>by position</em>, in file order, each once: a file's row i travels with event
 * time {@link #EPOCH} + i seconds, whatever its timestamp says, so repeated timestamps, rows out of
 * order and gaps in time are scored like any other row (never dead-lettered as late, re-sorted or
 * skipped), a row's score depends only on the rows before and at it, and files whose time ranges differ
 * (NAB's span years) advance through the job together instead of holding each other's readings for the
 * watermark. The rows' own timestamps are written back into the results.
 */
public final class CorpusRun {

    private static final String MODEL = "corpus";
    /** Event time of every file's first row in the stream. */
    static final long EPOCH = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    /** Event time between a file's consecutive rows in the stream. */
    static final long STEP = 1000;

    /**
     * What the pipeline made of one file.
     *
     * @param series the file's rows in file order, with their own timestamps
     * @param scored labels, per-row scores (0 where the job wrote none) and per-row verdicts (an alert open)
     * @param hasScore whether the job wrote a score for the row (false while the key's window filled)
     * @param surprise per row, the score's raw measure
     * @param opened per row, whether an alert opened at it (the row whose event decided it)
     * @param alerts the file's alert records, in event-time order
     * @param scoreRecords how many score records the job wrote for the file (one per scored row)
     * @param firstScored the first row the metrics count
     */
    public record FileResult(
            String name,
            EntitySeries series,
            LabelledFile scored,
            boolean[] hasScore,
            double[] surprise,
            boolean[] opened,
            List<Alert> alerts,
            int scoreRecords,
            int firstScored) {}

    /**
     * Everything the run produced.
     *
     * @param threshold the alert threshold the job used, as a score
     */
    public record Result(
            List<FileResult> files,
            TrainingResult training,
            Publication model,
            double threshold,
            long deadLettered,
            double seconds) {}

    private CorpusRun() {}

    /** A file's name in results and label files: its path from the root, whether either was given relative. */
    static String nameOf(Path root, Path file) {
        return root.toAbsolutePath()
                .normalize()
                .relativize(file.toAbsolutePath().normalize())
                .toString()
                .replace('\\', '/');
    }

    /** The event time row {@code i} of every file travels with. */
    static long streamTime(int i) {
        return EPOCH + i * STEP;
    }

    /** The row an event time of the stream stands for. */
    static int rowOf(long streamTime) {
        return (int) ((streamTime - EPOCH) / STEP);
    }

    public static Result run(CorpusOptions o, PrintWriter out) throws Exception {
        long started = System.nanoTime();
        List<EntitySeries> corpus = read(o);
        var features =
                HistoryReader.readInFileOrder(o.files().get(0), o.history()).features();
        out.printf(
                "corpus     %d files, %,d rows, channels %s%n",
                corpus.size(), corpus.stream().mapToInt(EntitySeries::size).sum(), features.names());

        // one bundle: every file's fitted rows (as its own key) and any normal-only files
        List<EntitySeries> fit = new ArrayList<>();
        for (EntitySeries s : corpus) {
            int n = o.fitted(s.size());
            if (n > 0) {
                fit.add(new EntitySeries(
                        s.entity(),
                        streamTimes(n),
                        Arrays.copyOf(s.values(), n),
                        Arrays.copyOf(s.labels(), n),
                        s.source()));
            }
        }
        for (Path f : o.fitFiles()) {
            EntitySeries s =
                    HistoryReader.readInFileOrder(f, o.history()).series().get(0);
            fit.add(new EntitySeries("fit:" + f.getFileName(), streamTimes(s.size()), s.values(), null, f.toString()));
        }
        Files.createDirectories(o.output());
        Path work = Files.createTempDirectory("vigil-corpus-");
        try {
            out.printf(
                    "training   on %,d rows of %d series (%s)%n",
                    fit.stream().mapToInt(EntitySeries::size).sum(), fit.size(), fitDescription(o));
            TrainingResult trained = new Trainer(o.training(), ProgressListener.silent())
                    .train(new History(features, fit, List.of("corpus fit")));
            Path bundle = work.resolve("bundle");
            trained.writeTo(bundle);
            Publication model =
                    new Publisher(PublishOptions.toStore(work.resolve("store")).withoutAnnouncement()).publish(bundle);
            var m = trained.manifest();
            out.printf(
                    Locale.ROOT,
                    "model      %s/%s, window %d; differenced %s, lower tail %s (decided from the fit"
                            + " data unless given)%n",
                    model.modelId(),
                    model.version(),
                    m.windowLength(),
                    m.differenced() == null ? "[]" : m.differenced(),
                    m.scoring().lowerTail());
            Map<String, String> job = jobSettings(o, work);
            double threshold = job.containsKey("scoring.threshold")
                    ? Double.parseDouble(job.get("scoring.threshold"))
                    : trained.scoreThreshold();
            out.printf(
                    Locale.ROOT,
                    "alerts     open at score %.4f (surprise %.2f: one event in %,.0f of a key's normal" + " data)%s%n",
                    threshold,
                    io.vigil.scoring.Surprise.surprise(threshold),
                    Math.pow(10, io.vigil.scoring.Surprise.surprise(threshold)),
                    job.containsKey("scoring.threshold") ? " (given with --job-option)" : "");

            try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
                for (String t : List.of("readings", "alerts", "scores", "dead-letter", "model-updates")) {
                    kafka.createTopic(t, t.equals("readings") || t.equals("scores") ? 4 : 1, Map.of());
                }
                long sent = produce(kafka.bootstrapServers(), corpus, features.names());
                out.printf(
                        "streamed   %,d rows through Kafka and the Flink job, each file's rows in file order%n", sent);
                job.put("kafka.bootstrap-servers", kafka.bootstrapServers());
                job.put("model.store", work.resolve("store").toString());
                job.put("model.id", model.modelId());
                runJob(job);
                Map<String, Map<Integer, EventScore>> scores = new HashMap<>();
                Map<String, Integer> records = new HashMap<>();
                var scoreDecoder = WireFormat.decoder(EventScore.class);
                for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.read(kafka.bootstrapServers(), "scores")) {
                    EventScore s = scoreDecoder.decode(r.value());
                    scores.computeIfAbsent(s.getEntityId(), k -> new HashMap<>())
                            .put(rowOf(s.getEventTime().toEpochMilli()), s);
                    records.merge(s.getEntityId(), 1, Integer::sum);
                }
                Map<String, List<Alert>> alerts = new HashMap<>();
                var alertDecoder = WireFormat.decoder(Alert.class);
                for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.read(kafka.bootstrapServers(), "alerts")) {
                    Alert a = alertDecoder.decode(r.value());
                    alerts.computeIfAbsent(a.getEntityId(), k -> new ArrayList<>())
                            .add(a);
                }
                long dead = CommittedRecords.read(kafka.bootstrapServers(), "dead-letter")
                        .size();
                List<FileResult> results = new ArrayList<>();
                for (EntitySeries s : corpus) {
                    results.add(result(
                            s,
                            scores.getOrDefault(s.entity(), Map.of()),
                            alerts.getOrDefault(s.entity(), List.of()),
                            records.getOrDefault(s.entity(), 0),
                            o.firstScored(s.size())));
                }
                return new Result(results, trained, model, threshold, dead, (System.nanoTime() - started) / 1e9);
            }
        } finally {
            delete(work);
        }
    }

    private static String fitDescription(CorpusOptions o) {
        if (o.fitRows() > 0) {
            return "first " + o.fitRows() + " rows of each file";
        }
        if (o.fitFraction() > 0) {
            return "first " + o.fitFraction() + " of each file"
                    + (o.fitMaxRows() > 0 ? ", at most " + o.fitMaxRows() + " rows" : "");
        }
        return "normal-only files";
    }

    /**
     * Reads every corpus file in file order, with its labels: its label column, or its windows from the
     * label file. A label file and the corpus must name the same files; every window must start and end at
     * a row's timestamp (NAB's rule). Anything else fails here, before any training, saying what was expected.
     */
    static List<EntitySeries> read(CorpusOptions o) throws IOException {
        Map<String, List<Window>> windows = o.labelsJson() == null ? null : NabFiles.readLabels(o.labelsJson());
        List<String> names = o.files().stream().map(f -> nameOf(o.root(), f)).toList();
        if (windows != null) {
            checkLabelNames(windows.keySet(), names, o);
        }
        List<EntitySeries> corpus = new ArrayList<>();
        for (int k = 0; k < o.files().size(); k++) {
            Path f = o.files().get(k);
            String name = names.get(k);
            EntitySeries s =
                    HistoryReader.readInFileOrder(f, o.history()).series().get(0);
            boolean[] labels = s.labels();
            if (windows != null) {
                checkWindows(name, s.timestamps(), windows.get(name), o.labelsJson());
                labels = LabelledFile.labelsFromWindows(s.timestamps(), windows.get(name));
            }
            if (labels == null) {
                throw new IllegalArgumentException(name + " has no labels: name the label column (--label-column) or"
                        + " give the label windows (--labels-json)");
            }
            corpus.add(EntitySeries.inFileOrder(name, s.timestamps(), s.values(), labels, f.toString()));
        }
        return corpus;
    }

    private static void checkLabelNames(Set<String> keys, List<String> names, CorpusOptions o) {
        Set<String> unknown = new TreeSet<>(keys);
        names.forEach(unknown::remove);
        Set<String> missing = new TreeSet<>(names);
        missing.removeAll(keys);
        String where = " (file names are paths relative to "
                + o.root().toAbsolutePath().normalize() + "; set it with --root)";
        if (unknown.size() == keys.size() && !keys.isEmpty()) {
            throw new IllegalArgumentException(o.labelsJson() + " names none of the " + names.size()
                    + " files to score: it has keys like '" + keys.iterator().next() + "', the corpus files like '"
                    + names.get(0) + "'" + where);
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(o.labelsJson() + " names " + unknown.size() + " file(s) that are not"
                    + " in the corpus: " + first(unknown) + where);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(o.labelsJson() + " has no entry for " + missing.size() + " corpus"
                    + " file(s): " + first(missing) + "; every scored file needs one (an empty list when it has no"
                    + " anomaly)" + where);
        }
    }

    private static void checkWindows(String name, long[] timestamps, List<Window> windows, Path labelsJson) {
        Set<Long> times = new HashSet<>();
        for (long t : timestamps) {
            times.add(t);
        }
        for (Window w : windows) {
            if (!times.contains(w.start()) || !times.contains(w.end())) {
                throw new IllegalArgumentException(labelsJson + ": the window ["
                        + NabFiles.formatLabelTimestamp(w.start())
                        + ", " + NabFiles.formatLabelTimestamp(w.end()) + "] of " + name + " must start and end at"
                        + " timestamps of the file's rows, as NAB's scorer requires");
            }
        }
    }

    private static String first(Set<String> names) {
        List<String> list = new ArrayList<>(names);
        return list.size() <= 3 ? list.toString() : list.subList(0, 3) + " and " + (list.size() - 3) + " more";
    }

    private static long[] streamTimes(int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = streamTime(i);
        }
        return t;
    }

    /** Every row of every file, row i of all files before row i + 1 of any, as SensorReadings keyed by file. */
    private static long produce(String bootstrap, List<EntitySeries> corpus, List<String> channels) {
        int longest = corpus.stream().mapToInt(EntitySeries::size).max().orElse(0);
        try (KafkaReadingWriter w =
                new KafkaReadingWriter(KafkaReadingWriter.Config.of(bootstrap, "readings"), channels)) {
            for (int i = 0; i < longest; i++) {
                for (EntitySeries s : corpus) {
                    if (i < s.size()) {
                        w.accept(new LabeledReading(
                                s.entity(), Instant.ofEpochMilli(streamTime(i)), s.values()[i], false, null));
                    }
                }
            }
            return w.finish().readings();
        }
    }

    /** The job's options: the corpus topics, read to the end, no restarts (a failure ends the run, loudly). */
    private static Map<String, String> jobSettings(CorpusOptions o, Path work) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("topic.readings", "readings");
        settings.put("topic.alerts", "alerts");
        settings.put("topic.scores", "scores");
        settings.put("topic.dead-letter", "dead-letter");
        settings.putAll(replaySettings(work));
        settings.putAll(o.jobSettings());
        return settings;
    }

    /**
     * The job's options for a replay of a corpus (sensor or transaction): model updates on their topic, the
     * input read from its start to its end, a checkpoint a second into {@code work}, and no restarts.
     */
    static Map<String, String> replaySettings(Path work) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("topic.model-updates", "model-updates");
        settings.put("kafka.starting-offsets", "earliest");
        settings.put("kafka.stop-at-end", "true");
        settings.put("sink.transactional-id-prefix", "vigil-corpus-" + System.nanoTime());
        settings.put("execution.checkpointing.interval", "1s");
        settings.put(
                "execution.checkpointing.dir",
                work.resolve("checkpoints").toUri().toString());
        settings.put("restart-strategy.type", "none");
        return settings;
    }

    /** Runs the job on a MiniCluster of parallelism 2 until its input ends; a failure is reported with its causes. */
    static void runJob(Map<String, String> settings) throws Exception {
        StreamExecutionEnvironment env = LocalFlink.environment(2, "0", new Configuration());
        VigilJob.wireKafka(env, JobConfig.fromMap(settings));
        try {
            env.execute("vigil corpus benchmark");
        } catch (Exception e) {
            StringBuilder causes = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                causes.append("\n  caused by ")
                        .append(t.getClass().getSimpleName())
                        .append(": ")
                        .append(t.getMessage());
            }
            throw new IllegalStateException(
                    "The Flink job failed (the corpus run does not restart it; every failure" + " is reported):"
                            + causes,
                    e);
        }
    }

    /** Per row: the job's score (0 where it wrote none), its surprise, and whether an alert was open. */
    private static FileResult result(
            EntitySeries s, Map<Integer, EventScore> scores, List<Alert> alerts, int records, int firstScored) {
        int n = s.size();
        double[] score = new double[n];
        double[] surprise = new double[n];
        boolean[] has = new boolean[n];
        for (int i = 0; i < n; i++) {
            EventScore e = scores.get(i);
            if (e != null) {
                score[i] = e.getScore();
                surprise[i] = e.getSurprise();
                has[i] = true;
            }
        }
        boolean[] predicted = new boolean[n];
        boolean[] opened = new boolean[n];
        List<Alert> ordered = new ArrayList<>(alerts);
        ordered.sort(Comparator.comparing(Alert::getEventTime));
        Map<String, Integer> open = new HashMap<>();
        for (Alert a : ordered) {
            int row = rowOf(a.getEventTime().toEpochMilli());
            if (a.getStatus() == AlertStatus.OPEN) {
                open.put(a.getAlertId(), row);
                opened[Math.min(row, n - 1)] = true;
            } else if (a.getStatus() == AlertStatus.RESOLVED && open.containsKey(a.getAlertId())) {
                Arrays.fill(predicted, open.remove(a.getAlertId()), Math.min(row, n), true);
            }
        }
        open.values().forEach(from -> Arrays.fill(predicted, Math.min(from, n), n, true));
        LabelledFile scored = LabelledFile.ofLabels(s.entity(), s.timestamps(), s.labels())
                .withScores(score)
                .withPredicted(predicted);
        return new FileResult(s.entity(), s, scored, has, surprise, opened, ordered, records, firstScored);
    }

    /**
     * Writes one results CSV per file, laid out as NAB's results are (NAB's scorer reads the folder
     * unchanged): {@code timestamp}, the value columns, {@code anomaly_score}, {@code label}, then
     * {@code alert_open} (1 while an alert of the file was open at the row) and {@code surprise}.
     */
    static void writeResults(Path dir, FileResult f, List<String> channels) throws IOException {
        Path file = dir.resolve(f.name());
        Files.createDirectories(file.getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("timestamp,"
                    + String.join(",", channels.stream().map(CorpusRun::csv).toList())
                    + ",anomaly_score,label,alert_open,surprise");
            for (int i = 0; i < f.series().size(); i++) {
                StringBuilder line =
                        new StringBuilder(NabFiles.formatTimestamp(f.series().timestamps()[i]));
                for (double v : f.series().values()[i]) {
                    line.append(',').append(v);
                }
                line.append(',')
                        .append(f.scored().scores()[i])
                        .append(',')
                        .append(f.scored().labels()[i] ? 1 : 0)
                        .append(',')
                        .append(f.scored().predicted()[i] ? 1 : 0)
                        .append(',')
                        .append(f.surprise()[i]);
                w.println(line);
            }
        }
    }

    static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("warning: could not remove the temporary directory " + dir + ": " + e.getMessage());
        }
    }
}
