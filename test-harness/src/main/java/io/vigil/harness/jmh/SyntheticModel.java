package io.vigil.harness.jmh;

import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.scoring.nn.Architectures;
import io.vigil.trainer.training.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scoring model of the production default architecture (TrainingConfig's defaults: LSTM hidden 32,
 * autoencoder 64-16-64, the autoencoder's hop, smoothing, warm-up, priors) at any window length and channel count, with
 * DL4J's initial (Xavier) weights instead of trained ones: the cost of a forward pass does not depend
 * on the weights, and a benchmark should not spend minutes training. Global normalisation, so every key
 * scores from its first full window.
 */
final class SyntheticModel {

    private SyntheticModel() {}

    static ScoringModel of(int window, int channels) {
        return of(window, channels, 0);
    }

    /** With the autoencoder reconstructing every {@code aeHop}-th event (0: the trainer's default, a quarter of W). */
    static ScoringModel of(int window, int channels, int aeHop) {
        TrainingConfig defaults =
                TrainingConfig.builder().windowLength(window).aeHop(aeHop).build();
        List<String> names = new ArrayList<>();
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int j = 0; j < channels; j++) {
            names.add("ch" + j);
            std[j] = 1;
        }
        BundleManifest.ScoringSpec scoring = defaults.uncalibratedScoringSpec(channels);
        BundleManifest manifest = new BundleManifest(
                BundleManifest.FORMAT_VERSION,
                "jmh",
                "w" + window,
                "2026-12-01T00:00:00Z",
                "SENSOR",
                names,
                null,
                window,
                defaults.sequenceLength(),
                new BundleManifest.NormaliserSpec(mean, std),
                BundleManifest.GLOBAL,
                null,
                "lstm.zip",
                "autoencoder.zip",
                scoring,
                null,
                defaults.alertSpec(),
                Map.of(),
                Map.of(),
                null,
                null);
        int[] aeHidden =
                defaults.aeHidden().stream().mapToInt(Integer::intValue).toArray();
        return ScoringModel.assemble(
                manifest,
                Architectures.lstmPredictor(
                        channels, defaults.lstmHidden(), defaults.seed(), defaults.lstmLearningRate()),
                Architectures.autoencoder(window * channels, aeHidden, defaults.seed(), defaults.aeLearningRate()));
    }
}
