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

    /** The alert settings of the test manifests: open at surprise 3 (drift 1.5), resolve after 5 normal events. */
    public static final BundleManifest.AlertSpec ALERTS = new BundleManifest.AlertSpec(3, 1.5, 5, 1000);

    public static BundleManifest manifest(String version, int channels, int window, int warmup) {
        return manifest(version, channels, window, warmup, null, null);
    }

    /** With per-key normalisation: {@code keyNormalisers} for the keys the bundle knows; others estimate 8 events. */
    public static BundleManifest manifest(
            String version,
            int channels,
            int window,
            int warmup,
            String normalisation,
            Map<String, BundleManifest.NormaliserSpec> keyNormalisers) {
        return manifest(version, channels, window, warmup, normalisation, keyNormalisers, null);
    }

    /**
     * As above, with the named channels (ch0, ch1, ...) seen as differences. Error scales are 1 (the
     * untrained networks' errors are whatever they are: the references learn them), the prior is a bump
     * around a ratio of 1, no channel has the lower tail, no smoothing.
     */
    public static BundleManifest manifest(
            String version,
            int channels,
            int window,
            int warmup,
            String normalisation,
            Map<String, BundleManifest.NormaliserSpec> keyNormalisers,
            List<String> differenced) {
        List<String> names = new ArrayList<>();
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int j = 0; j < channels; j++) {
            names.add("ch" + j);
            mean[j] = 10.0 * j;
            std[j] = 1.0 + j;
        }
        return new BundleManifest(
                BundleManifest.FORMAT_VERSION,
                "test-model",
                version,
                "2026-12-01T00:00:00Z",
                "SENSOR",
                names,
                differenced,
                window,
                32,
                new BundleManifest.NormaliserSpec(mean, std),
                normalisation,
                keyNormalisers,
                "lstm.zip",
                "autoencoder.zip",
                scoring(channels, 1, 1.0, List.of(), warmup),
                null,
                ALERTS,
                Map.of("rows", 100),
                Map.of(),
                null,
                null);
    }

    /** A scoring section: unit scales, the given hop, smoothing and lower-tail channels, a bump prior of weight 20. */
    public static BundleManifest.ScoringSpec scoring(
            int channels, int hop, double smoothing, List<String> lowerTail, int warmup) {
        double[] unit = new double[channels];
        java.util.Arrays.fill(unit, 1);
        float[] prior = new float[Reference.SIZE];
        for (int i = 0; i < prior.length; i++) {
            double y = Reference.LOW + (i - 0.5) * Reference.WIDTH;
            prior[i] = (float) Math.exp(-0.5 * y * y);
        }
        return new BundleManifest.ScoringSpec(
                2,
                hop,
                new BundleManifest.ErrorScales(unit, unit.clone()),
                new BundleManifest.ErrorScales(unit.clone(), unit.clone()),
                smoothing,
                lowerTail,
                0.1,
                new BundleManifest.ReferenceSpec(2000, 20, prior),
                warmup,
                8,
                null,
                null);
    }

    /** {@code m} with the autoencoder reconstructing every {@code hop}-th event's window. */
    public static BundleManifest withHop(BundleManifest m, int hop) {
        return withHop(m, hop, null);
    }

    /** {@code m} with the autoencoder reconstructing every {@code hop}-th event's window at {@code phase}. */
    public static BundleManifest withHop(BundleManifest m, int hop, String phase) {
        BundleManifest.ScoringSpec s = m.scoring();
        return m.withScoring(
                new BundleManifest.ScoringSpec(
                        s.aeErrorSpan(),
                        hop,
                        s.scales(),
                        s.tails(),
                        s.smoothing(),
                        s.lowerTail(),
                        s.calmSmoothing(),
                        s.reference(),
                        s.warmupEvents(),
                        s.normaliserEvents(),
                        phase,
                        s.direct()),
                m.keyScales(),
                m.alert());
    }

    public static ScoringModel model(String version, int channels, int hidden, int window, long seed) {
        return ScoringModel.assemble(
                manifest(version, channels, window, 5),
                randomLstm(channels, hidden, seed),
                randomAutoencoder(window * channels, seed));
    }
}
