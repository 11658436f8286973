package io.vigil.harness.bench;

import io.vigil.harness.generate.AnomalyKind;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.LabeledReading;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.transactions.TransactionGenerator;
import io.vigil.harness.transactions.TransactionGeneratorConfig;
import io.vigil.harness.write.KafkaReadingWriter;
import io.vigil.harness.write.KafkaTransactionWriter;
import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.scoring.transactions.TransactionFeatures;
import io.vigil.trainer.training.EpochProgress;
import io.vigil.trainer.training.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Puts a benchmark's whole input into Kafka before any job runs: trains and publishes the model
 * ({@link BenchmarkModel}), creates the input topics and writes the generated readings unpaced, the
 * full stream to one topic and the first keys' readings also to a small one; then checks every record
 * arrived. Works against any broker: topics are created through the given {@link TopicCreator}.
 */
public final class WorkloadPreparer {

    /** Creates a topic (and returns once it is usable); an existing one is an error for the benchmark's fresh topics. */
    @FunctionalInterface
    public interface TopicCreator {
        void create(String name, int partitions, Map<String, String> configs);
    }

    public static final String TOPIC = "bench-readings";
    public static final String SMALL_TOPIC = "bench-readings-small";
    public static final String MODEL_UPDATES_TOPIC = "bench-model-updates";
    public static final String TX_TOPIC = "bench-transactions";

    private static final int MAX_ANOMALIES_PER_KEY = 5;

    private WorkloadPreparer() {}

    public static Workload prepare(
            BenchmarkSettings s, String bootstrapServers, TopicCreator topics, Path workDir, PrintWriter out)
            throws IOException {
        return s.stream() == BenchmarkStream.TRANSACTIONS
                ? prepareTransactions(s, bootstrapServers, topics, workDir, out)
                : prepareReadings(s, bootstrapServers, topics, workDir, out);
    }

    private static Workload prepareReadings(
            BenchmarkSettings s, String bootstrapServers, TopicCreator topics, Path workDir, PrintWriter out)
            throws IOException {
        SensorStreamGenerator live = new SensorStreamGenerator(generatorConfig(s));
        out.printf(
                Locale.ROOT,
                "training the model (default architecture, at most %d epochs) on %d normal readings"
                        + " of each of %d keys%n",
                s.trainingEpochs(),
                s.historyEventsPerKey(),
                Math.min(s.keys(), BenchmarkModel.TRAINING_KEYS));
        BenchmarkModel model = BenchmarkModel.trainAndPublish(
                live, s.historyEventsPerKey(), s.trainingEpochs(), workDir, phasesTo(out));
        trained(out, model);

        topics.create(TOPIC, s.partitions(), Map.of());
        topics.create(SMALL_TOPIC, s.partitions(), Map.of());
        topics.create(MODEL_UPDATES_TOPIC, 1, Map.of("cleanup.policy", "compact"));
        int smallKeys = s.naiveKeys();
        Set<String> small = new HashSet<>(live.entityIds().subList(0, smallKeys));
        long started = System.nanoTime();
        KafkaReadingWriter.Report all;
        KafkaReadingWriter.Report few;
        try (KafkaReadingWriter full =
                        new KafkaReadingWriter(KafkaReadingWriter.Config.of(bootstrapServers, TOPIC), live.channels());
                KafkaReadingWriter part = new KafkaReadingWriter(
                        KafkaReadingWriter.Config.of(bootstrapServers, SMALL_TOPIC), live.channels())) {
            for (LabeledReading r : live) {
                full.accept(r);
                if (small.contains(r.entityId())) {
                    part.accept(r);
                }
            }
            all = full.finish();
            few = part.finish();
            check(all, full.firstFailure());
            check(few, part.firstFailure());
        }
        double fillSeconds = (System.nanoTime() - started) / 1e9;
        Workload w = new Workload(
                bootstrapServers,
                TOPIC,
                s.partitions(),
                s.keys(),
                s.eventsPerKey(),
                live.channels(),
                live.groundTruth().size(),
                SMALL_TOPIC,
                smallKeys,
                MODEL_UPDATES_TOPIC,
                model,
                fillSeconds,
                BenchmarkStream.SENSORS,
                (long) s.keys() * s.eventsPerKey());
        expectRecords(bootstrapServers, TOPIC, w.events());
        expectRecords(bootstrapServers, SMALL_TOPIC, w.smallEvents());
        out.printf(
                Locale.ROOT,
                "wrote %,d readings (%d keys x %d, %d channels, %d anomaly windows) to %s and %,d"
                        + " (first %d keys) to %s in %.1f s%n",
                w.events(),
                s.keys(),
                s.eventsPerKey(),
                s.channels(),
                w.anomalyWindows(),
                TOPIC,
                w.smallEvents(),
                smallKeys,
                SMALL_TOPIC,
                fillSeconds);
        return w;
    }

    /**
     * The transaction workload: the generator's transactions of {@code keys} accounts over {@code days}
     * (seeded, fraud injected after its fraud-free first days) all in one topic, and the transaction model
     * trained on the fraud-free days of the first {@link BenchmarkModel#TX_TRAINING_ACCOUNTS} accounts.
     */
    private static Workload prepareTransactions(
            BenchmarkSettings s, String bootstrapServers, TopicCreator topics, Path workDir, PrintWriter out)
            throws IOException {
        TransactionGeneratorConfig config = transactionConfig(s);
        TransactionGenerator.Generated g = TransactionGenerator.generate(config);
        out.printf(
                Locale.ROOT,
                "generated %,d transactions of %,d accounts over %d days (seed %d), %,d fraud in %d incidents%n",
                g.transactions().size(),
                config.accounts(),
                config.days(),
                config.seed(),
                g.frauds(),
                g.incidents().size());
        List<TransactionEvent> history = trainingHistory(g);
        int trainingAccounts = Math.min(config.accounts(), BenchmarkModel.TX_TRAINING_ACCOUNTS);
        out.printf(
                Locale.ROOT,
                "training the transaction model (train-transactions' defaults, at most %d epochs) on the %,d"
                        + " transactions of the fraud-free first %d days of %d accounts%n",
                s.trainingEpochs(),
                history.size(),
                Math.min(config.days(), config.warmupDays()),
                trainingAccounts);
        BenchmarkModel model = BenchmarkModel.trainTransactionsAndPublish(
                history, trainingAccounts, s.trainingEpochs(), workDir, phasesTo(out));
        trained(out, model);

        topics.create(TX_TOPIC, s.partitions(), Map.of());
        topics.create(MODEL_UPDATES_TOPIC, 1, Map.of("cleanup.policy", "compact"));
        long started = System.nanoTime();
        KafkaTransactionWriter.Report written;
        try (KafkaTransactionWriter writer =
                new KafkaTransactionWriter(KafkaTransactionWriter.Config.of(bootstrapServers, TX_TOPIC))) {
            g.transactions().forEach(writer::accept);
            written = writer.finish();
            if (written.failedSends() > 0) {
                throw new IllegalStateException(
                        written.failedSends() + " transactions were not written to " + TX_TOPIC, writer.firstFailure());
            }
        }
        double fillSeconds = (System.nanoTime() - started) / 1e9;
        Workload w = new Workload(
                bootstrapServers,
                TX_TOPIC,
                s.partitions(),
                config.accounts(),
                0,
                TransactionFeatures.names(false),
                g.incidents().size(),
                "",
                0,
                MODEL_UPDATES_TOPIC,
                model,
                fillSeconds,
                BenchmarkStream.TRANSACTIONS,
                g.transactions().size());
        expectRecords(bootstrapServers, TX_TOPIC, w.events());
        out.printf(
                Locale.ROOT,
                "wrote %,d transactions of %,d accounts to %s in %.1f s%n",
                w.events(),
                w.keys(),
                TX_TOPIC,
                fillSeconds);
        return w;
    }

    /** The generator's settings for the transaction workload: its defaults with the settings' accounts, days and seed. */
    static TransactionGeneratorConfig transactionConfig(BenchmarkSettings s) {
        return TransactionGeneratorConfig.defaults()
                .withAccounts(s.keys())
                .withDays(s.days())
                .withSeed(s.seed());
    }

    /**
     * What the transaction model is trained on: the transactions before the generator injects fraud, of the
     * first {@link BenchmarkModel#TX_TRAINING_ACCOUNTS} accounts (by id) only: a larger sample costs time,
     * and the model is global (its standardisation too).
     */
    static List<TransactionEvent> trainingHistory(TransactionGenerator.Generated g) {
        Set<String> accounts = g.transactions().stream()
                .map(l -> l.tx().accountId())
                .distinct()
                .sorted()
                .limit(BenchmarkModel.TX_TRAINING_ACCOUNTS)
                .collect(java.util.stream.Collectors.toSet());
        return g.before(g.config().day(g.config().warmupDays())).stream()
                .map(TransactionGenerator.Labelled::tx)
                .filter(t -> accounts.contains(t.accountId()))
                .toList();
    }

    /** The generated stream: the settings' keys and channels, with as many anomalies per key as fit (at most 5). */
    static GeneratorConfig generatorConfig(BenchmarkSettings s) {
        return GeneratorConfig.builder()
                .entities(s.keys())
                .channels(channelNames(s.channels()))
                .eventsPerEntity(s.eventsPerKey())
                .seed(s.seed())
                .anomaliesPerEntity(anomaliesPerKey(s.eventsPerKey()))
                .build();
    }

    /** As many anomalies as the generator can place in a key's readings (warm-up, longest window, gap), at most 5. */
    static int anomaliesPerKey(int eventsPerKey) {
        int longest = Arrays.stream(AnomalyKind.values())
                .mapToInt(AnomalyKind::maxEvents)
                .max()
                .orElse(0);
        int fit = (eventsPerKey - GeneratorConfig.DEFAULT_WARMUP_EVENTS)
                / (longest + GeneratorConfig.DEFAULT_MIN_GAP_EVENTS);
        return Math.max(0, Math.min(MAX_ANOMALIES_PER_KEY, fit));
    }

    /** {@code ch01, ch02, ...}. */
    static List<String> channelNames(int channels) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= channels; i++) {
            names.add(String.format(Locale.ROOT, "ch%02d", i));
        }
        return names;
    }

    private static void check(KafkaReadingWriter.Report report, Exception firstFailure) {
        if (report.failedSends() > 0) {
            throw new IllegalStateException(
                    report.failedSends() + " readings were not written to " + report.topic(), firstFailure);
        }
    }

    private static void expectRecords(String bootstrapServers, String topic, long expected) {
        long actual = OutputMeter.recordsIn(bootstrapServers, topic);
        if (actual != expected) {
            throw new IllegalStateException("topic " + topic + " holds " + actual + " records, expected " + expected);
        }
    }

    private static void trained(PrintWriter out, BenchmarkModel model) {
        out.printf(
                Locale.ROOT,
                "model %s/%s trained and published in %.1f s%n",
                model.modelId(),
                model.version(),
                model.trainingSeconds());
    }

    private static ProgressListener phasesTo(PrintWriter out) {
        return new ProgressListener() {
            @Override
            public void onEpoch(EpochProgress progress) {
                out.println("  " + progress.format());
                out.flush();
            }

            @Override
            public void onPhase(String message) {
                out.println("  " + message);
                out.flush();
            }
        };
    }
}
