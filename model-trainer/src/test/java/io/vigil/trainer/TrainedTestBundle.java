package io.vigil.trainer;

import io.vigil.trainer.history.History;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingConfig;
import io.vigil.trainer.training.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One small model trained once per test JVM on synthetic data (2 entities x 1000 rows, 3 channels),
 * shared by the test classes that need a trained bundle, so the suite trains as little as possible.
 */
public final class TrainedTestBundle {

    public static final int ENTITIES = 2;
    public static final int ROWS = 1000;
    public static final int CHANNELS = 3;
    public static final long SEED = 1;

    private static TrainingResult trained;
    private static Path bundle;

    private TrainedTestBundle() {}

    /**
     * The tiny configuration the tests train with (seconds, not minutes). Global normalisation, so
     * every key is scored from its first full window; per-key normalisation has tests of its own.
     */
    public static TrainingConfig.Builder tinyConfig() {
        return TrainingConfig.builder()
                .modelId("test-model")
                .version("v1")
                .windowLength(8)
                .sequenceLength(32)
                .lstmHidden(8)
                .aeHidden(16, 4, 16)
                .maxEpochs(12)
                .patience(3)
                .batchSize(16)
                .lstmLearningRate(2e-2)
                .aeLearningRate(5e-3)
                .warmupEvents(8)
                .perKeyNormalisation(false);
    }

    public static History history() {
        return SyntheticData.history(ENTITIES, ROWS, CHANNELS, SEED);
    }

    public static synchronized TrainingResult trained() {
        if (trained == null) {
            trained = new Trainer(tinyConfig().build(), ProgressListener.silent()).train(history());
        }
        return trained;
    }

    /** The trained model written once into a temporary directory (treat as read-only). */
    public static synchronized Path bundle() {
        if (bundle == null) {
            try {
                Path dir = Files.createTempDirectory("vigil-test-bundle").resolve("bundle");
                trained().writeTo(dir);
                bundle = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bundle;
    }
}
