package io.vigil.harness.bench;

import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.generate.TrainingHistory;
import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.scoring.transactions.TransactionFeatures;
import io.vigil.trainer.cli.TransactionDefaults;
import io.vigil.trainer.history.TransactionHistory;
import io.vigil.trainer.publish.AnnounceException;
import io.vigil.trainer.publish.Publication;
import io.vigil.trainer.publish.PublishOptions;
import io.vigil.trainer.publish.Publisher;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingConfig;
import io.vigil.trainer.training.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The model the benchmark's jobs score with: the production default architecture (TrainingConfig's
 * defaults: window 16, LSTM hidden 32, autoencoder 32-8-32) trained for only a few epochs on
 * anomaly-free history of the workload's own entities and channels, published to a model store without
 * an announcement. Its quality does not matter: the cost of a forward pass does not depend on the weights.
 *
 * @param store the model store directory (job option {@code model.store})
 * @param uri where the published bundle is
 * @param historyEventsPerKey normal history per key trained on (for transactions: per account, on average)
 */
public record BenchmarkModel(
        Path store,
        String modelId,
        String version,
        String uri,
        int window,
        int lstmHidden,
        List<Integer> aeHidden,
        int maxEpochs,
        int historyEventsPerKey,
        double trainingSeconds) {

    public static final String MODEL_ID = "vigil-bench";
    public static final String VERSION = "bench-1";
    /** Most keys whose history the model is trained on. */
    public static final int TRAINING_KEYS = 1_000;

    /** The transaction model's id in the benchmark's store. */
    public static final String TX_MODEL_ID = "vigil-bench-transactions";
    /** Most accounts whose history the transaction model is trained on. */
    public static final int TX_TRAINING_ACCOUNTS = 500;

    /**
     * Trains the transaction model as {@code train-transactions} does by default (its defaults, the account
     * features without merchant risk, at most {@code maxEpochs} epochs) on {@code history}, normal
     * transactions of {@code accounts} accounts, and publishes it without an announcement.
     */
    public static BenchmarkModel trainTransactionsAndPublish(
            List<TransactionEvent> history, int accounts, int maxEpochs, Path workDir, ProgressListener progress)
            throws IOException {
        long started = System.nanoTime();
        TrainingConfig config = TransactionDefaults.training("--max-epochs", String.valueOf(maxEpochs))
                .modelId(TX_MODEL_ID)
                .version(VERSION)
                .build();
        TrainingResult result = new Trainer(config, progress)
                .train(new TransactionHistory(history, new boolean[history.size()], null, List.of("generator"))
                        .featurize(TransactionFeatures.create(false), Duration.ofDays(7))
                        .history());
        return publish(config, result, workDir, maxEpochs, history.size() / Math.max(1, accounts), started);
    }

    /** Trains on {@code historyEventsPerKey} normal readings of each of {@code live}'s entities and publishes. */
    public static BenchmarkModel trainAndPublish(
            SensorStreamGenerator live, int historyEventsPerKey, int maxEpochs, Path workDir, ProgressListener progress)
            throws IOException {
        long started = System.nanoTime();
        Instant historyStart = live.config()
                .start()
                .minusMillis(historyEventsPerKey * live.config().intervalMillis());
        // A fleet larger than TRAINING_KEYS trains on its first TRAINING_KEYS keys: the model is global (each key
        // standardises itself online) and a larger sample only costs time.
        SensorStreamGenerator history = new SensorStreamGenerator(live.config()
                .firstEntities(TRAINING_KEYS)
                .forHistory(live.config().seed() + 1_000_003, historyStart, historyEventsPerKey));
        TrainingConfig config = TrainingConfig.builder()
                .modelId(MODEL_ID)
                .version(VERSION)
                .maxEpochs(maxEpochs)
                // One standardisation for all keys, so that every key scores from its first full window: a key the
                // bundle has no statistics of would first spend normaliserEvents readings estimating its own. The
                // forward pass costs the same either way.
                .perKeyNormalisation(false)
                .build();
        TrainingResult result = new Trainer(config, progress).train(TrainingHistory.of(history));
        return publish(config, result, workDir, maxEpochs, historyEventsPerKey, started);
    }

    private static BenchmarkModel publish(
            TrainingConfig config,
            TrainingResult result,
            Path workDir,
            int maxEpochs,
            int historyEventsPerKey,
            long started)
            throws IOException {
        Path bundle = workDir.resolve("bundle-" + VERSION);
        result.writeTo(bundle);
        Path store = workDir.resolve("model-store");
        Publication p;
        try {
            p = new Publisher(PublishOptions.toStore(store).withoutAnnouncement()).publish(bundle);
        } catch (AnnounceException e) {
            throw new IllegalStateException("publishing without announcement cannot announce", e);
        }
        return new BenchmarkModel(
                store,
                p.modelId(),
                p.version(),
                p.uri(),
                config.windowLength(),
                config.lstmHidden(),
                config.aeHidden(),
                maxEpochs,
                historyEventsPerKey,
                (System.nanoTime() - started) / 1e9);
    }
}
