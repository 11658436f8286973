package io.vigil.scoring;

import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.scoring.nn.Architectures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/** Small untrained models with randomised weights (so every bias and gate block matters). */
public final class TestModels {

    private TestModels() {}

    public static MultiLayerNetwork randomLstm(int channels, int hidden, long seed) {
        MultiLayerNetwork net = Architectures.lstmPredictor(channels, hidden, seed, 1e-3);
        Nd4j.getRandom().setSeed(seed);
        net.setParams(Nd4j.randn(net.params().dataType(), net.params().shape()).muli(0.4));
        return net;
    }

    public static MultiLayerNetwork randomAutoencoder(int inputSize, long seed) {
        MultiLayerNetwork net = Architectures.autoencoder(inputSize, new int[] {12, 4, 12}, seed, 1e-3);
        Nd4j.getRandom().setSeed(seed + 1);
        net.setParams(Nd4j.randn(net.params().dataType(), net.params().shape()).muli(0.3));
        return net;
    }

    public static BundleManifest manifest(String version, int channels, int window, double threshold, int warmup) {
        return manifest(version, channels, window, threshold, warmup, null, null);
    }

    /** With per-key normalisation: {@code keyNormalisers} for the keys the bundle knows; others estimate 8 events. */
    public static BundleManifest manifest(String version, int channels, int window, double threshold, int warmup,
            String normalisation, Map<String, BundleManifest.NormaliserSpec> keyNormalisers) {
        return manifest(version, channels, window, threshold, warmup, normalisation, keyNormalisers, null);
    }

    /** As above, with the named channels (ch0, ch1, ...) seen as differences. */
    public static BundleManifest manifest(String version, int channels, int window, double threshold, int warmup,
            String normalisation, Map<String, BundleManifest.NormaliserSpec> keyNormalisers, List<String> differenced) {
        List<String> names = new ArrayList<>();
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int j = 0; j < channels; j++) {
            names.add("ch" + j);
            mean[j] = 10.0 * j;
            std[j] = 1.0 + j;
        }
        return new BundleManifest(BundleManifest.FORMAT_VERSION, "test-model", version, "2026-12-01T00:00:00Z",
                "SENSOR", names, differenced, window, 32, new BundleManifest.NormaliserSpec(mean, std), normalisation, keyNormalisers,
                "lstm.zip", "autoencoder.zip",
                new BundleManifest.ScoringSpec(0.5, 2, 1,
                        BundleManifest.ScoringSpec.uniform(new BundleManifest.ErrorPrior(-1.0, 1.0), channels),
                        BundleManifest.ScoringSpec.uniform(new BundleManifest.ErrorPrior(-1.0, 1.0), channels),
                        0.01, 20, warmup, 8, true),
                new BundleManifest.ThresholdSpec("quantile", 0.99, threshold, null),
                Map.of("rows", 100), Map.of(), null, null);
    }

    /** {@code m} with the autoencoder reconstructing every {@code hop}-th event's window. */
    public static BundleManifest withHop(BundleManifest m, int hop) {
        BundleManifest.ScoringSpec s = m.scoring();
        return m.withScoring(new BundleManifest.ScoringSpec(s.smoothing(), s.aeErrorSpan(), hop, s.lstmPriors(),
                s.aePriors(), s.statsAlpha(), s.priorWeight(), s.warmupEvents(), s.normaliserEvents(), s.lowerTail()),
                m.threshold());
    }

    public static ScoringModel model(String version, int channels, int hidden, int window, long seed) {
        return ScoringModel.assemble(manifest(version, channels, window, 0.99, 5),
                randomLstm(channels, hidden, seed), randomAutoencoder(window * channels, seed));
    }
}
