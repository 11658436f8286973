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
        // The scorer adapts a key's statistics only on events under the threshold, so the scores depend
        // on the threshold they calibrate. Iterate to the fixed point: start with every event adapting
        // (the highest threshold there is), then score again under the threshold found, until it
        // moves by less than 0.01 in z.
        double threshold = MAX_THRESHOLD;
        double[] sorted = null;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            BundleManifest priors = with(draft, fitted, quantile, threshold);
            List<Double> zs = new ArrayList<>();
            run(ScoringModel.assemble(priors, lstm, autoencoder), keys, series, (state, view) -> {
                if (view.warm()) {
                    zs.add(Math.max(view.lstmZ(), view.aeZ()));
                }
            });
            if (zs.isEmpty()) {
                throw new IllegalArgumentException("No validation event got past the warm-up ("
                        + draft.windowLength() + " + " + s.warmupEvents() + " events per key); give more validation data");
            }
            sorted = zs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double zBefore = Surprise.z(threshold);
            double zFound = Surprise.z(clamp(Surprise.score(quantileOf(sorted, quantile))));
            if (Math.abs(zFound - zBefore) < 0.01) {
                threshold = clamp(Surprise.score(zFound));
                break;
            }
            // damped: the quantile moves against the threshold (a lower one adapts less), so plain
            // iteration oscillates around the fixed point
            threshold = clamp(Surprise.score(pass == 0 ? zFound : 0.5 * (zBefore + zFound)));
        }
        BundleManifest.PotSpec pot = fitPot(sorted, 1 - quantile);
        boolean wantsPot = draft.threshold() != null && BundleManifest.ThresholdSpec.POT.equals(draft.threshold().kind());
        if (wantsPot && pot == null) {
            throw new IllegalArgumentException("Too few validation events (" + sorted.length + ") to fit the"
                    + " peaks-over-threshold tail at risk " + (1 - quantile) + "; give more validation data or use the"
                    + " quantile threshold");
        }
        String kind = wantsPot ? BundleManifest.ThresholdSpec.POT : BundleManifest.ThresholdSpec.QUANTILE;
        BundleManifest out = draft.withScoring(fitted, new BundleManifest.ThresholdSpec(kind, quantile, threshold, pot));
        double[] scores = Arrays.stream(sorted).map(Surprise::score).toArray();
        return new Result(out, sorted.length, scores);
    }

    /** The range a calibrated threshold is kept in: 1e-6 ... one in ten billion events. */
    static final double MIN_THRESHOLD = 1e-6;
    static final double MAX_THRESHOLD = 1 - 1e-6;
    /** Calibration passes at most while the threshold settles. */
    static final int MAX_PASSES = 8;

    private static double clamp(double threshold) {
        return Math.min(Math.max(threshold, MIN_THRESHOLD), MAX_THRESHOLD);
    }

    /** Peaks needed above the initial threshold to fit the tail. */
    static final int MIN_PEAKS = 10;

    /**
     * Fits the generalised Pareto tail of validation z-scores by the method of moments: the initial
     * threshold is the quantile 1 - 5 x risk (between 0.8 and 0.995), the excesses over it give the
     * scale and shape (shape kept within [-0.45, 0.45], where the moments exist and the fit is stable).
     * Returns null when there are too few peaks.
     */
    static BundleManifest.PotSpec fitPot(double[] sortedZ, double risk) {
        double iq = Math.min(0.995, Math.max(0.8, 1 - 5 * risk));
        double t = quantileOf(sortedZ, iq);
        double sum = 0;
        double sq = 0;
        int peaks = 0;
        for (double z : sortedZ) {
            if (z > t) {
                double y = z - t;
                sum += y;
                sq += y * y;
                peaks++;
            }
        }
        if (peaks < MIN_PEAKS) {
            return null;
        }
        double m = sum / peaks;
        double v = Math.max(sq / peaks - m * m, 1e-12);
        double xi = Math.max(-0.45, Math.min(0.45, 0.5 * (1 - m * m / v)));
        double sigma = m * (1 - xi);
        return new BundleManifest.PotSpec(t, sigma, xi, (double) peaks / sortedZ.length, risk, 200);
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
        return m.withScoring(spec, new BundleManifest.ThresholdSpec(BundleManifest.ThresholdSpec.QUANTILE, q, threshold,
                null));
    }
}
