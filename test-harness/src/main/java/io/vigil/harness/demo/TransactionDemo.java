package io.vigil.harness.demo;

import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.harness.transactions.TransactionGenerator;
import io.vigil.harness.transactions.TransactionGenerator.Labelled;
import io.vigil.harness.write.KafkaTransactionWriter;
import io.vigil.job.config.JobConfig;
import io.vigil.job.config.VigilOptions;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.scoring.transactions.TransactionFeatures;
import io.vigil.trainer.cli.TransactionDefaults;
import io.vigil.trainer.history.TransactionHistory;
import io.vigil.trainer.publish.Publication;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;

/**
 * The demo's transaction stream ({@code demo --stream transactions}): in one process a real Kafka broker,
 * generated accounts with injected fraud, a transaction model trained on their fraud-free first weeks
 * (train-transactions' defaults), the bundle published and announced, the job's transaction pipeline on a
 * Flink MiniCluster, every transaction streamed through it (the first weeks bring the accounts up to date),
 * alerts printed in event-time order as they commit with the explanation the job gives, and a summary of
 * what was found against what was injected, per pattern.
 */
public final class TransactionDemo {

    static final String TRANSACTIONS = "vigil-transactions";
    static final String ALERTS = "vigil-transaction-alerts";
    static final String SCORES = "vigil-transaction-scores";
    static final String DEAD_LETTER = "vigil-transaction-dead-letter";
    static final String MODEL_ID = "demo-transactions";
    private static final DemoBroker.Topics TOPICS = new DemoBroker.Topics(TRANSACTIONS, ALERTS, SCORES, DEAD_LETTER);

    private final TransactionDemoOptions options;
    private final PrintWriter out;
    private final DemoConsole console;

    public TransactionDemo(TransactionDemoOptions options, PrintWriter out) {
        this.options = options;
        this.out = out;
        this.console = new DemoConsole(out);
    }

    /** Runs the demo and returns its report (also written to the work directory). */
    public TransactionDemoReport run() throws Exception {
        return DemoBroker.run(console, options.workDir(), TOPICS, this::withKafka);
    }

    private TransactionDemoReport withKafka(EmbeddedKafka kafka, Path work) throws Exception {
        var config = options.generator();
        TransactionGenerator.Generated g = TransactionGenerator.generate(config);
        Instant fraudFrom = config.day(config.warmupDays());
        console.step(
                "Generating %d accounts over %d days: %,d transactions, %,d fraud in %d incidents%s",
                options.accounts(),
                options.days(),
                g.transactions().size(),
                g.frauds(),
                g.incidents().size(),
                g.incidentSummary());

        List<TransactionEvent> history =
                g.before(fraudFrom).stream().map(Labelled::tx).toList();
        console.step(
                "Training the LSTM and the autoencoder on the %,d transactions of the fraud-free first %d days"
                        + " (DL4J, CPU)",
                history.size(), config.warmupDays());
        TrainingResult trained = new Trainer(
                        TransactionDefaults.training("--max-epochs", String.valueOf(options.maxEpochs()))
                                .modelId(MODEL_ID)
                                .build(),
                        ProgressListener.printingTo(out))
                .train(new TransactionHistory(history, new boolean[history.size()], null, List.of("generator"))
                        .featurize(TransactionFeatures.create(false), Duration.ofDays(7))
                        .history());
        Path bundle = work.resolve("bundle");
        trained.writeTo(bundle);
        console.say(
                "threshold: surprise %.2f, score %.4f, calibrated on %d validation transactions",
                trained.threshold(), trained.scoreThreshold(), trained.validationEvents());

        Path store = work.resolve("model-store");
        Publication published = DemoBroker.publish(console, kafka, bundle, store);

        Map<String, String> settings = EmbeddedDemo.jobSettings(kafka.bootstrapServers(), store);
        settings.put(VigilOptions.STREAMS.key(), "transactions");
        settings.put(VigilOptions.TX_MODEL_ID.key(), MODEL_ID);
        settings.put(VigilOptions.TX_TOPIC_INPUT.key(), TRANSACTIONS);
        settings.put(VigilOptions.TX_TOPIC_ALERTS.key(), ALERTS);
        settings.put(VigilOptions.TX_TOPIC_SCORES.key(), SCORES);
        settings.put(VigilOptions.TX_TOPIC_DEAD_LETTER.key(), DEAD_LETTER);
        EmbeddedDemo.Started started =
                EmbeddedDemo.startJob(console, options.parallelism(), JobConfig.fromMap(settings), MODEL_ID);
        JobClient job = started.job();
        try {
            return stream(kafka, work, g, trained.manifest().windowLength(), published);
        } finally {
            job.cancel().get();
        }
    }

    private TransactionDemoReport stream(
            EmbeddedKafka kafka, Path work, TransactionGenerator.Generated g, int window, Publication published)
            throws Exception {
        OrderedAlertPrinter printer = new OrderedAlertPrinter(
                out,
                AlertFormat::transactionLine,
                EmbeddedDemo.CHECKPOINT_INTERVAL.multipliedBy(3).dividedBy(2));
        try (DemoBroker.Tails tails = new DemoBroker.Tails(kafka.bootstrapServers(), TOPICS, printer, out)) {
            console.step(
                    "Streaming %,d transactions in time order (%.1f%% extra bad records) at %.0f/s; alerts appear as"
                            + " their Kafka transaction commits (every %d s), with the job's explanation",
                    g.transactions().size(),
                    100 * options.garbageFraction(),
                    options.rate(),
                    EmbeddedDemo.CHECKPOINT_INTERVAL.toSeconds());
            KafkaTransactionWriter.Report sent;
            try (KafkaTransactionWriter writer =
                    new KafkaTransactionWriter(KafkaTransactionWriter.Config.of(kafka.bootstrapServers(), TRANSACTIONS)
                            .withRate(options.rate())
                            .withGarbage(options.garbageFraction(), options.seed()))) {
                g.transactions().forEach(writer::accept);
                sent = writer.finish();
            }
            long expectedScores = g.expectedScores(window);
            long scored = tails.scores.awaitCount(expectedScores, Duration.ofSeconds(120));
            long deadLettered = tails.deadLetters.awaitCount(sent.garbageTotal(), Duration.ofSeconds(30));
            // the last alerts commit with the next checkpoint
            Thread.sleep(2 * EmbeddedDemo.CHECKPOINT_INTERVAL.toMillis());
            printer.flush();
            List<Alert> committed = List.copyOf(tails.alerts);
            TransactionDemoReport report = new TransactionDemoReport(
                    Instant.now().toString(),
                    options,
                    published.modelId(),
                    published.version(),
                    sent.transactions(),
                    sent.garbageTotal(),
                    deadLettered,
                    scored,
                    expectedScores,
                    EmbeddedDemo.count(committed, AlertStatus.OPEN),
                    EmbeddedDemo.count(committed, AlertStatus.RESOLVED),
                    TransactionDemoReport.openedAtFraud(g, committed),
                    TransactionDemoReport.judge(g, committed),
                    console.seconds());
            DemoBroker.writeReport(console, work, report.toText(), report.toJson());
            return report;
        }
    }
}
