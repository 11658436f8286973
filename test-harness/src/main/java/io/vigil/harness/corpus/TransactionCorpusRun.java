package io.vigil.harness.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.harness.write.KafkaTransactionWriter;
import io.vigil.job.config.VigilOptions;
import io.vigil.job.io.KafkaIO;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.Surprise;
import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.scoring.transactions.TransactionFeatures;
import io.vigil.trainer.cli.TransactionCommands;
import io.vigil.trainer.evaluation.TransactionEvaluation;
import io.vigil.trainer.history.TransactionColumns;
import io.vigil.trainer.history.TransactionHistory;
import io.vigil.trainer.history.TransactionHistoryReader;
import io.vigil.trainer.publish.Publication;
import io.vigil.trainer.publish.PublishOptions;
import io.vigil.trainer.publish.Publisher;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingConfig;
import io.vigil.trainer.training.TrainingResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The corpus protocol for transactions: a labelled transaction file read with the trainer's column
 * mapping, the model trained by the trainer on its fit part (the transactions before a cut in time, the
 * frauds among them left out), every transaction streamed in time order through a real Kafka broker and
 * the job's transaction pipeline on a MiniCluster (read to the end), and what the job wrote measured by
 * the evaluation code of {@code evaluate-transactions} over the transactions from the cut on. The
 * transactions before the cut are streamed too: they bring each account up to date, as live history would.
 */
public final class TransactionCorpusRun {

    /** The file the dead-lettered transactions are listed in: transaction_id (empty when undecodable), reason. */
    public static final String DEAD_LETTER_FILE = "dead-letter.csv";
    /** The file the run's own counts are written to. */
    public static final String RUN_FILE = "corpus.json";

    private static final String TRANSACTIONS = "transactions";
    private static final String ALERTS = "alerts";
    private static final String SCORES = "scores";
    private static final String DEAD_LETTER = "dead-letter";
    private static final String LABELS = "confirmed-labels";

    /**
     * How to run.
     *
     * @param inputs the labelled transaction files (CSV or Avro, or directories of them)
     * @param columns which column is what
     * @param fitUntil the cut: train on the transactions before it, count those from it on; null: by {@code fitShare}
     * @param fitShare the cut as a share of the time the transactions span (the first share of time is the fit part)
     * @param training the trainer's configuration
     * @param k cards checked per day, for card precision@k
     * @param fpr the false-positive rate recall is read at
     * @param confirmationDelay with confirmed-fraud feedback, how long after a fraud it is confirmed (the
     *     model gets the merchant-risk features, the job the labels); null: none
     * @param jobSettings extra job options (key -> value) on top of the run's
     * @param output where the results go
     */
    public record Options(
            List<Path> inputs,
            TransactionColumns columns,
            Instant fitUntil,
            double fitShare,
            TrainingConfig training,
            int k,
            double fpr,
            Duration confirmationDelay,
            Map<String, String> jobSettings,
            Path output) {

        public Options {
            inputs = List.copyOf(inputs);
            jobSettings = Map.copyOf(jobSettings);
            if (!(fitShare > 0 && fitShare < 1)) {
                throw new IllegalArgumentException("--fit-share must be in (0, 1), is " + fitShare);
            }
        }
    }

    /**
     * What the run produced.
     *
     * @param cut the first event time counted (the fit part is before it)
     * @param fitTransactions transactions before the cut, of which {@code fitFrauds} were left out of training
     * @param streamed transactions written to the input topic
     * @param labels confirmed frauds written to the labels topic (0 without feedback)
     * @param scores score records the job wrote (one per scored transaction)
     * @param alertsOpened alerts the job opened
     * @param deadLettered records the job dead-lettered, by reason
     */
    public record Result(
            TransactionEvaluation evaluation,
            long cut,
            long fitTransactions,
            long fitFrauds,
            long streamed,
            long labels,
            long scores,
            long alertsOpened,
            Map<String, Long> deadLettered,
            double seconds) {

        public long deadLetteredTotal() {
            return deadLettered.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private TransactionCorpusRun() {}

    /**
     * Reads the files and checks them (a missing column, an unparsable row, no label column, a cut that leaves
     * nothing to train on or no fraud and genuine transactions to count fail here, before any training).
     */
    static TransactionHistory read(Options o) throws IOException {
        TransactionHistory all = TransactionHistoryReader.read(o.inputs(), o.columns());
        if (!all.labelled()) {
            throw new IllegalArgumentException(all.sources() + " have no label column: name it with --label-column"
                    + " (non-zero or true = fraud)");
        }
        return all;
    }

    /** The cut: {@code fitUntil}, or the first {@code fitShare} of the time the transactions span. */
    static long cut(TransactionHistory all, Options o) {
        if (o.fitUntil() != null) {
            return o.fitUntil().toEpochMilli();
        }
        long first = all.transactions().stream()
                .mapToLong(TransactionEvent::eventTime)
                .min()
                .orElseThrow();
        long last = all.transactions().stream()
                .mapToLong(TransactionEvent::eventTime)
                .max()
                .orElseThrow();
        return first + (long) Math.ceil(o.fitShare() * (last - first));
    }

    public static Result run(Options o, PrintWriter out) throws Exception {
        long started = System.nanoTime();
        TransactionHistory all = read(o);
        long cut = cut(all, o);
        TransactionHistory fit;
        try {
            fit = all.before(cut);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    e.getMessage() + ": nothing to train on; move the cut later" + " (--fit-share or --fit-until)");
        }
        long fitFrauds = TransactionCommands.frauds(fit);
        long countedFrauds = TransactionCommands.frauds(all) - fitFrauds;
        long counted = all.transactions().size() - fit.transactions().size();
        if (countedFrauds == 0 || countedFrauds == counted) {
            throw new IllegalArgumentException("The transactions from " + Instant.ofEpochMilli(cut) + " on (the part"
                    + " measured) have " + countedFrauds + " fraud and " + (counted - countedFrauds) + " genuine ones;"
                    + " the metrics need both: move the cut (--fit-share or --fit-until)");
        }
        out.printf(
                Locale.ROOT,
                "corpus     %,d transactions of %,d accounts in %s, %,d fraud%n",
                all.transactions().size(),
                all.transactions().stream()
                        .map(TransactionEvent::accountId)
                        .distinct()
                        .count(),
                all.sources(),
                TransactionCommands.frauds(all));
        out.printf(
                Locale.ROOT,
                "fit        %,d transactions before %s (%,d fraud, left out of training); measured: %,d from then on"
                        + " (%,d fraud)%n",
                fit.transactions().size(),
                Instant.ofEpochMilli(cut),
                fitFrauds,
                counted,
                countedFrauds);
        out.flush();
        Files.createDirectories(o.output());
        Path work = Files.createTempDirectory("vigil-transaction-corpus-");
        try {
            boolean feedback = o.confirmationDelay() != null;
            TransactionFeatures features = TransactionFeatures.create(feedback);
            // a merchant's confirmed-fraud risk is evidence in itself, not something the networks predict
            TrainingResult trained = new Trainer(
                            o.training().withDirectEvidence(features.merchantRiskNames()),
                            ProgressListener.printingTo(out))
                    .train(fit.featurize(features, delay(o)).history());
            Path bundle = work.resolve("bundle");
            trained.writeTo(bundle);
            Publication model =
                    new Publisher(PublishOptions.toStore(work.resolve("store")).withoutAnnouncement()).publish(bundle);
            Map<String, String> job = jobSettings(o, work, model.modelId());
            double threshold = job.containsKey("scoring.threshold")
                    ? Double.parseDouble(job.get("scoring.threshold"))
                    : trained.scoreThreshold();
            out.printf(
                    Locale.ROOT,
                    "%nmodel      %s/%s, window %d; alerts open at score %.4f (surprise %.2f)%s%n",
                    model.modelId(),
                    model.version(),
                    trained.manifest().windowLength(),
                    threshold,
                    Surprise.surprise(threshold),
                    job.containsKey("scoring.threshold") ? " (given with --job-option)" : "");
            try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
                kafka.createTopic(TRANSACTIONS, 4, Map.of());
                kafka.createTopic(SCORES, 4, Map.of());
                kafka.createTopic(ALERTS, 1, Map.of());
                kafka.createTopic(DEAD_LETTER, 1, Map.of());
                kafka.createTopic("model-updates", 1, Map.of());
                if (feedback) {
                    kafka.createTopic(LABELS, 4, Map.of());
                }
                KafkaTransactionWriter.Report sent = produce(kafka.bootstrapServers(), all, o.confirmationDelay());
                long streamed = sent.transactions();
                out.printf(
                        Locale.ROOT,
                        "streamed   %,d transactions in time order through Kafka and the Flink job%s%n",
                        streamed,
                        feedback
                                ? String.format(
                                        Locale.ROOT,
                                        ", and %,d frauds confirmed %s after each (the labels topic)",
                                        sent.labels(),
                                        o.confirmationDelay())
                                : "");
                out.flush();
                job.put(VigilOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
                CorpusRun.runJob(job);
                return collect(o, all, fit, cut, sent, kafka.bootstrapServers(), model, threshold, started);
            }
        } finally {
            CorpusRun.delete(work);
        }
    }

    /** What the job wrote, per transaction of the history: its score, whether an alert was open, or nothing. */
    private static Result collect(
            Options o,
            TransactionHistory all,
            TransactionHistory fit,
            long cut,
            KafkaTransactionWriter.Report sent,
            String bootstrap,
            Publication model,
            double threshold,
            long started)
            throws IOException {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < all.transactions().size(); i++) {
            index.put(all.transactions().get(i).transactionId(), i);
        }
        int n = all.transactions().size();
        double[] score = new double[n];
        boolean[] scored = new boolean[n];
        boolean[] open = new boolean[n];
        var scoreDecoder = WireFormat.decoder(EventScore.class);
        long scores = 0;
        for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.read(bootstrap, SCORES)) {
            EventScore s = scoreDecoder.decode(r.value());
            Integer i = index.get(s.getEventId());
            if (i == null) {
                throw new IllegalStateException(
                        "The job wrote a score for transaction " + s.getEventId() + ", which is not in the corpus");
            }
            if (scored[i]) {
                throw new IllegalStateException("The job wrote two scores for transaction " + s.getEventId());
            }
            scored[i] = true;
            score[i] = s.getScore();
            open[i] = s.getAnomalous();
            scores++;
        }
        var alertDecoder = WireFormat.decoder(Alert.class);
        long opened = 0;
        for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.read(bootstrap, ALERTS)) {
            opened += alertDecoder.decode(r.value()).getStatus() == AlertStatus.OPEN ? 1 : 0;
        }
        Map<String, Long> dead = writeDeadLetters(bootstrap, o.output().resolve(DEAD_LETTER_FILE));
        TransactionEvaluation evaluation = TransactionEvaluation.of(
                new TransactionEvaluation.Subject(
                        model.modelId(),
                        model.version(),
                        threshold,
                        all.sources(),
                        "the job (Kafka and the Flink MiniCluster)"),
                all,
                score,
                scored,
                open,
                new TransactionEvaluation.Options(cut, o.k(), o.fpr(), delay(o)));
        return new Result(
                evaluation,
                cut,
                fit.transactions().size(),
                TransactionCommands.frauds(fit),
                sent.transactions(),
                sent.labels(),
                scores,
                opened,
                dead,
                (System.nanoTime() - started) / 1e9);
    }

    /** Lists every dead-lettered record (its transaction id where it decodes) with its reason; returns the counts. */
    private static Map<String, Long> writeDeadLetters(String bootstrap, Path file) throws IOException {
        Map<String, Long> reasons = new TreeMap<>();
        var decoder = WireFormat.decoder(Transaction.class);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("transaction_id,reason\n");
            for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.read(bootstrap, DEAD_LETTER)) {
                var header = r.headers().lastHeader(KafkaIO.HEADER_REASON);
                String reason = header == null ? "unknown" : new String(header.value(), StandardCharsets.UTF_8);
                String id;
                try {
                    id = decoder.decode(r.value()).getTransactionId();
                } catch (IOException | RuntimeException e) {
                    id = "";
                }
                reasons.merge(reason, 1L, Long::sum);
                w.write(CorpusRun.csv(id) + "," + CorpusRun.csv(reason) + "\n");
            }
        }
        return reasons;
    }

    /** The confirmation delay the evaluation records: the run's, or the trainer's default without feedback. */
    private static Duration delay(Options o) {
        return o.confirmationDelay() != null ? o.confirmationDelay() : Duration.ofDays(7);
    }

    /**
     * Every transaction, in event-time order (file order among equal times), keyed by account; with a
     * {@code confirmationDelay}, each fraud also confirmed that long after it, on the labels topic,
     * interleaved in event time.
     */
    private static KafkaTransactionWriter.Report produce(
            String bootstrap, TransactionHistory all, Duration confirmationDelay) {
        List<TransactionEvent> txs = all.transactions();
        List<Integer> order = IntStream.range(0, txs.size())
                .boxed()
                .sorted(Comparator.comparingLong(i -> txs.get(i).eventTime()))
                .toList();
        KafkaTransactionWriter.Config config = KafkaTransactionWriter.Config.of(bootstrap, TRANSACTIONS);
        if (confirmationDelay != null) {
            config = config.withLabels(LABELS, confirmationDelay);
        }
        try (KafkaTransactionWriter w = new KafkaTransactionWriter(config)) {
            for (int i : order) {
                w.accept(txs.get(i), all.fraud()[i]);
            }
            KafkaTransactionWriter.Report report = w.finish();
            if (report.failedSends() > 0) {
                throw new IllegalStateException(
                        report.failedSends() + " records could not be written to Kafka: " + w.firstFailure());
            }
            return report;
        }
    }

    /** The job's options: the transaction pipeline alone on the run's topics and model, read to the end. */
    private static Map<String, String> jobSettings(Options o, Path work, String modelId) {
        Map<String, String> settings = new LinkedHashMap<>(CorpusRun.replaySettings(work));
        settings.put(VigilOptions.STREAMS.key(), "transactions");
        settings.put(VigilOptions.MODEL_STORE.key(), work.resolve("store").toString());
        settings.put(VigilOptions.TX_MODEL_ID.key(), modelId);
        settings.put(VigilOptions.TX_TOPIC_INPUT.key(), TRANSACTIONS);
        settings.put(VigilOptions.TX_TOPIC_ALERTS.key(), ALERTS);
        settings.put(VigilOptions.TX_TOPIC_SCORES.key(), SCORES);
        settings.put(VigilOptions.TX_TOPIC_DEAD_LETTER.key(), DEAD_LETTER);
        if (o.confirmationDelay() != null) {
            settings.put(VigilOptions.TX_TOPIC_LABELS.key(), LABELS);
        }
        settings.putAll(o.jobSettings());
        return settings;
    }

    /** Writes the evaluation (every transaction in its CSV) and the run's counts into the output directory. */
    public static void write(Result r, Path output, String context) throws IOException {
        r.evaluation().writeTo(output, context, true);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cut", Instant.ofEpochMilli(r.cut()).toString());
        m.put("fitTransactions", r.fitTransactions());
        m.put("fitFraudsLeftOut", r.fitFrauds());
        m.put("streamed", r.streamed());
        m.put("confirmedLabels", r.labels());
        m.put("scores", r.scores());
        m.put("unscoredCounted", r.evaluation().unscored());
        m.put("alertsOpened", r.alertsOpened());
        m.put("deadLettered", r.deadLetteredTotal());
        m.put("deadLetterReasons", r.deadLettered());
        m.put("seconds", Math.round(r.seconds()));
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(output.resolve(RUN_FILE).toFile(), m);
    }

    /** The run's counts and the metrics, one line each. */
    public static void print(Result r, PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "job        %,d transactions streamed%s, %,d scored (each once; an account's first window-1 are not),"
                        + " %,d alerts opened, %,d dead-lettered%s%n",
                r.streamed(),
                r.labels() == 0 ? "" : String.format(Locale.ROOT, " (and %,d confirmed frauds)", r.labels()),
                r.scores(),
                r.alertsOpened(),
                r.deadLetteredTotal(),
                r.deadLettered().isEmpty() ? "" : " " + r.deadLettered());
        r.evaluation().printTo(out);
        out.printf(Locale.ROOT, "took       %.0f s%n", r.seconds());
    }
}
