package io.vigil.scoring;

import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.ScoringModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Calibrates a draft bundle on validation data by running the real {@link Scorer} over it: first
 * the distribution of each model's log(smoothed error), per channel, becomes the prior every key
 * starts from, then
 * the threshold is the chosen quantile of the scores the calibrated scorer gives validation events.
 */
public final class Calibrator {

    private Calibrator() {}

    /** What calibration found. */
    public record Result(BundleManifest manifest, int validationEvents, double[] validationScores) {}

    /**
     * Returns {@code draft} with its error priors and threshold filled in.
     *
     * @param keys the key of each validation series (per-key normalisation uses the key's statistics;
     *     the same key may appear several times, each run starting from a fresh state)
     * @param series validation series, one per key, each row a raw vector in feature order
     * @param quantile the quantile of validation scores to alert above, e.g. 0.995
     */
    public static Result calibrate(BundleManifest draft, MultiLayerNetwork lstm, MultiLayerNetwork autoencoder,
            List<String> keys, List<double[][]> series, double quantile) {
        if (!(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("The threshold quantile must be in (0, 1), is " + quantile);
        }
        BundleManifest.ScoringSpec s = draft.scoring();
        int c = draft.features().size();
        List<BundleManifest.ErrorPrior> unit =
                BundleManifest.ScoringSpec.uniform(new BundleManifest.ErrorPrior(0, 1), c);
        BundleManifest provisional = with(draft, s.withPriors(unit, unit), quantile, 0.5);
        List<double[]> logs = new ArrayList<>();
        run(ScoringModel.assemble(provisional, lstm, autoencoder), keys, series, (state, view) -> {
            if (view.scored()) {
                double[] row = new double[2 * c];
                for (int i = 0; i < row.length; i++) {
                    row[i] = Math.log(state.esmooth[i] + 1e-8);
                }
                logs.add(row);
            }
        });
        if (logs.size() < 10) {
            throw new IllegalArgumentException("Validation data gives only " + logs.size()
                    + " scored events; need at least 10 (each key needs more than windowLength rows)");
        }
        List<BundleManifest.ErrorPrior> lstmPriors = new ArrayList<>();
        List<BundleManifest.ErrorPrior> aePriors = new ArrayList<>();
        for (int j = 0; j < c; j++) {
            lstmPriors.add(prior(logs, j));
            aePriors.add(prior(logs, c + j));
        }
        BundleManifest.ScoringSpec fitted = s.withPriors(lstmPriors, aePriors);
        BundleManifest priors = with(draft, fitted, quantile, 0.5);
        List<Double> scores = new ArrayList<>();
        run(ScoringModel.assemble(priors, lstm, autoencoder), keys, series, (state, view) -> {
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

    private static void run(ScoringModel model, List<String> keys, List<double[][]> series, Observer observer) {
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
        return m.withScoring(spec, new BundleManifest.ThresholdSpec("quantile", q, threshold));
    }
}
