package io.vigil.scoring;

import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.ScoringModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Calibrates a draft bundle on validation data by running the real {@link Scorer} over it: first
 * the distribution of each model's log(smoothed error) becomes the prior every key starts from, then
 * the threshold is the chosen quantile of the scores the calibrated scorer gives validation events.
 */
public final class Calibrator {

    private Calibrator() {}

    /** What calibration found. */
    public record Result(BundleManifest manifest, int validationEvents, double[] validationScores) {}

    /**
     * Returns {@code draft} with its error priors and threshold filled in.
     *
     * @param series validation series, one per key, each row a raw vector in feature order
     * @param quantile the quantile of validation scores to alert above, e.g. 0.995
     */
    public static Result calibrate(BundleManifest draft, MultiLayerNetwork lstm, MultiLayerNetwork autoencoder,
            List<double[][]> series, double quantile) {
        if (!(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("The threshold quantile must be in (0, 1), is " + quantile);
        }
        BundleManifest.ScoringSpec s = draft.scoring();
        BundleManifest.ErrorPrior unit = new BundleManifest.ErrorPrior(0, 1);
        BundleManifest provisional = with(draft, new BundleManifest.ScoringSpec(s.smoothing(), s.aeErrorSpan(), unit,
                unit, s.statsAlpha(), s.priorWeight(), s.warmupEvents()), quantile, 0.5);
        List<double[]> logs = new ArrayList<>();
        run(ScoringModel.assemble(provisional, lstm, autoencoder), series, (state, view) -> {
            if (view.scored()) {
                logs.add(new double[] {Math.log(state.lstmSmooth + 1e-8), Math.log(state.aeSmooth + 1e-8)});
            }
        });
        if (logs.size() < 10) {
            throw new IllegalArgumentException("Validation data gives only " + logs.size()
                    + " scored events; need at least 10 (each key needs more than windowLength rows)");
        }
        BundleManifest.ScoringSpec fitted = new BundleManifest.ScoringSpec(s.smoothing(), s.aeErrorSpan(),
                prior(logs, 0), prior(logs, 1), s.statsAlpha(), s.priorWeight(), s.warmupEvents());
        BundleManifest priors = with(draft, fitted, quantile, 0.5);
        List<Double> scores = new ArrayList<>();
        run(ScoringModel.assemble(priors, lstm, autoencoder), series, (state, view) -> {
            if (view.warm()) {
                scores.add(view.score());
            }
        });
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("No validation event got past the warm-up ("
                    + draft.windowLength() + " + " + s.warmupEvents() + " events per key); give more validation data");
        }
        double[] sorted = scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double threshold = Math.min(Math.max(quantileOf(sorted, quantile), 1e-6), 1 - 1e-12);
        return new Result(with(draft, fitted, quantile, threshold), sorted.length, sorted);
    }

    /** Linear-interpolated quantile of sorted values. */
    public static double quantileOf(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private interface Observer {
        void accept(KeyState state, ScoreView view);
    }

    private static void run(ScoringModel model, List<double[][]> series, Observer observer) {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) {
            keys.add("validation-" + k);
        }
        try (Scorer scorer = new Scorer(model, Scorer.Settings.defaults())) {
            Replay.run(scorer, keys, series, (k, row, state, view) -> observer.accept(state, view));
        }
    }

    private static BundleManifest.ErrorPrior prior(List<double[]> logs, int which) {
        double[] v = logs.stream().mapToDouble(a -> a[which]).toArray();
        double mean = Arrays.stream(v).average().orElse(0);
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, v.length - 1);
        return new BundleManifest.ErrorPrior(mean, Math.max(Math.sqrt(var), 1e-3));
    }

    private static BundleManifest with(BundleManifest m, BundleManifest.ScoringSpec spec, double q, double threshold) {
        return new BundleManifest(m.formatVersion(), m.modelId(), m.version(), m.createdAt(), m.streamKind(),
                m.features(), m.windowLength(), m.sequenceLength(), m.normaliser(), m.lstmFile(), m.autoencoderFile(),
                spec, new BundleManifest.ThresholdSpec("quantile", q, threshold), m.training(), m.metrics(),
                m.keyModels(), m.files());
    }
}
