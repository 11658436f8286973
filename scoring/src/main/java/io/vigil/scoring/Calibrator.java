package io.vigil.scoring;

import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.ScoringModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Calibrates a draft bundle on normal validation data by running the real {@link Scorer} over it, and
 * decides from that data what the scoring needs, so no setting has to be chosen per data set:
 *
 * <ol>
 *   <li>each channel's typical squared error of each network (the median), over all keys and for each
 *       key with {@link #MIN_KEY_EVENTS} scored validation events of its own: a key's evidence is
 *       relative to these, so a loud key and a quiet one are judged alike;</li>
 *   <li>each channel's tail factor: the {@link #TAIL_QUANTILE} of its smoothed ratio on a key's validation
 *       data (the median over the keys), relative to the network's typical channel, so that a noisy or
 *       heavy-tailed channel does not drown a quiet one in the evidence;</li>
 *   <li>which channels' unusually small errors count ({@code lowerTail}): those whose smoothed error
 *       never falls {@link #CALM_BOUND} times below typical on normal data (a channel that is normally
 *       calm at times cannot tell a stuck sensor from a quiet spell);</li>
 *   <li>the normal level of each channel whose value is itself evidence ({@link DirectEvidence}), and
 *       what evidence that level counts as;</li>
 *   <li>the prior every key's {@link Reference} starts from: the distribution of the evidence on the
 *       validation data;</li>
 *   <li>what the calibrated model does on the validation data: the share of warm events with an alert
 *       open, and the alerts opened.</li>
 * </ol>
 */
public final class Calibrator {

    /** The quantile of a channel's smoothed validation ratio that becomes its tail factor. */
    public static final double TAIL_QUANTILE = 0.99;
    /** Scored validation events a key needs for error scales of its own. */
    public static final int MIN_KEY_EVENTS = 32;
    /** How many times below typical a channel's smoothed error may fall on normal data and still get the lower tail. */
    public static final double CALM_BOUND = 10;
    /** The quantile of the validation calm statistic compared with {@link #CALM_BOUND}. */
    public static final double CALM_QUANTILE = 0.999;

    private Calibrator() {}

    /**
     * What calibration found.
     *
     * @param manifest the calibrated manifest
     * @param validationEvents scored validation events
     * @param validationScores their scores, ascending
     * @param alertShare share of warm validation events with an alert open (the false-alarm rate on normal data)
     * @param alertsOpened alerts opened on the validation data
     * @param decisions what was decided from the data and why, for the report
     */
    public record Result(
            BundleManifest manifest,
            int validationEvents,
            double[] validationScores,
            double alertShare,
            int alertsOpened,
            Map<String, Object> decisions) {}

    /**
     * Returns {@code draft} with its error scales, lower-tail channels and reference prior filled in.
     *
     * @param draft the manifest to calibrate; its scoring's scales, lowerTail and prior are replaced
     * @param keys the key of each validation series (the same key may appear several times, each run
     *     starting from a fresh state)
     * @param series validation series, one per key, each row a raw vector in feature order
     * @param lowerTail the channels whose unusually small errors count, or null to decide from the data
     */
    public static Result calibrate(
            BundleManifest draft,
            MultiLayerNetwork lstm,
            MultiLayerNetwork autoencoder,
            List<String> keys,
            List<double[][]> series,
            List<String> lowerTail) {
        BundleManifest.ScoringSpec spec = draft.scoring();
        int c = draft.features().size();
        BundleManifest.ReferenceSpec reference = spec.reference();
        BundleManifest.ScoringSpec unit = uncalibrated(spec, c);
        DirectEvidence direct = DirectEvidence.of(draft.features(), unit);
        List<List<Double>> directValues = new ArrayList<>();
        for (int j = 0; j < c; j++) {
            directValues.add(new ArrayList<>());
        }

        // 1. the networks' errors on validation data, per key and channel
        Map<String, List<double[]>> lstmErrors = new TreeMap<>();
        Map<String, List<double[]>> aeErrors = new TreeMap<>();
        List<List<double[]>> lstmRuns = new ArrayList<>();
        List<List<double[]>> aeRuns = new ArrayList<>();
        run(
                ScoringModel.assemble(draft.withScoring(unit, null, draft.alert()), lstm, autoencoder),
                keys,
                series,
                (k, row, state, view) -> {
                    while (lstmRuns.size() <= k) {
                        lstmRuns.add(new ArrayList<>());
                        aeRuns.add(new ArrayList<>());
                    }
                    if (!view.scored()) {
                        return;
                    }
                    double[] l = new double[c];
                    double[] a = new double[c];
                    for (int j = 0; j < c; j++) {
                        if (direct.isDirect(j)) {
                            directValues.get(j).add(view.actual(j));
                            l[j] = 1; // the networks do not see it: a unit error, for unit scales
                            a[j] = 1;
                            continue;
                        }
                        double d = (view.actual(j) - view.expected(j)) / state.standardisation.std[j];
                        l[j] = d * d;
                        a[j] = state.memory.aeRatios[j];
                    }
                    lstmErrors
                            .computeIfAbsent(keys.get(k), x -> new ArrayList<>())
                            .add(l);
                    aeErrors.computeIfAbsent(keys.get(k), x -> new ArrayList<>())
                            .add(a);
                    lstmRuns.get(k).add(l);
                    aeRuns.get(k).add(a);
                });
        int events = lstmErrors.values().stream().mapToInt(List::size).sum();
        if (events < 10) {
            throw new IllegalArgumentException("Validation data gives only " + events
                    + " scored events; need at least 10 (each key needs more than windowLength rows)");
        }
        BundleManifest.ErrorScales global = new BundleManifest.ErrorScales(
                medians(lstmErrors.values().stream().flatMap(List::stream).toList(), c),
                medians(aeErrors.values().stream().flatMap(List::stream).toList(), c));
        Map<String, BundleManifest.ErrorScales> keyScales = new TreeMap<>();
        lstmErrors.forEach((key, l) -> {
            if (l.size() >= MIN_KEY_EVENTS) {
                keyScales.put(key, new BundleManifest.ErrorScales(medians(l, c), medians(aeErrors.get(key), c)));
            }
        });

        // 2. each channel's tail: how far its smoothed ratio goes on normal data
        double[] lstmTails = new double[c];
        double[] aeTails = new double[c];
        for (int j = 0; j < c; j++) {
            lstmTails[j] = tail(lstmRuns, keys, keyScales, global, j, true, spec.smoothing());
            aeTails[j] = tail(aeRuns, keys, keyScales, global, j, false, spec.smoothing());
        }
        BundleManifest.ErrorScales tails =
                new BundleManifest.ErrorScales(relative(lstmTails, direct), relative(aeTails, direct));

        // 3. which channels' calm counts (never a direct one), and the direct channels' scales
        Map<String, Object> decisions = new LinkedHashMap<>();
        BundleManifest.DirectSpec directSpec = null;
        if (direct.any()) {
            Map<String, Double> levels = new TreeMap<>();
            for (int j = 0; j < c; j++) {
                if (direct.isDirect(j)) {
                    levels.put(
                            draft.features().get(j),
                            DirectEvidence.level(directValues.get(j).stream()
                                    .mapToDouble(Double::doubleValue)
                                    .toArray()));
                }
            }
            // at its normal level a direct channel counts WEIGHT times the louder network's typical channel at
            // its 99th percentile
            directSpec = new BundleManifest.DirectSpec(
                    levels, DirectEvidence.WEIGHT * Math.max(typical(lstmTails, direct), typical(aeTails, direct)));
            decisions.put("direct", directSpec);
        }
        List<String> lower = new ArrayList<>();
        Map<String, Double> calmQuantiles = new LinkedHashMap<>();
        for (int j = 0; j < c; j++) {
            List<Double> calm = new ArrayList<>();
            for (int k = 0; k < lstmRuns.size(); k++) {
                double[] scale = keyScales.getOrDefault(keys.get(k), global).lstm();
                double smoothed = 1;
                for (double[] l : lstmRuns.get(k)) {
                    smoothed = spec.calmSmoothing() * l[j] / scale[j] + (1 - spec.calmSmoothing()) * smoothed;
                    calm.add(1 / (smoothed + SurpriseScore.FLOOR));
                }
            }
            double q = quantile(
                    calm.stream().mapToDouble(Double::doubleValue).sorted().toArray(), CALM_QUANTILE);
            String name = draft.features().get(j);
            calmQuantiles.put(name, q);
            if (!direct.isDirect(j) && (lowerTail == null ? q < CALM_BOUND : lowerTail.contains(name))) {
                lower.add(name);
            }
        }
        decisions.put("lowerTail", lower);
        decisions.put("calmQuantile" + CALM_QUANTILE, calmQuantiles);

        // 4. the prior: the evidence of the validation events under these scales
        BundleManifest.ScoringSpec scaled = new BundleManifest.ScoringSpec(
                spec.aeErrorSpan(),
                spec.aeHop(),
                global,
                tails,
                spec.smoothing(),
                lower,
                spec.calmSmoothing(),
                unit.reference(),
                spec.warmupEvents(),
                spec.normaliserEvents(),
                spec.aeHopPhase(),
                directSpec);
        float[] prior = new float[Reference.SIZE];
        run(
                ScoringModel.assemble(draft.withScoring(scaled, keyScales, draft.alert()), lstm, autoencoder),
                keys,
                series,
                (k, row, state, view) -> {
                    if (view.scored()) {
                        prior[Reference.bin(view.evidence())] += 1;
                    }
                });
        BundleManifest.ScoringSpec fitted = scaled.withReference(
                new BundleManifest.ReferenceSpec(reference.halfLife(), reference.priorWeight(), prior));
        BundleManifest out = draft.withScoring(fitted, keyScales.isEmpty() ? null : keyScales, draft.alert());

        // 5. what the calibrated model does on the same data
        List<Double> scores = new ArrayList<>();
        long[] warm = new long[2];
        int[] opened = new int[1];
        run(ScoringModel.assemble(out, lstm, autoencoder), keys, series, (k, row, state, view) -> {
            if (view.scored()) {
                scores.add(view.score());
            }
            if (view.warm()) {
                warm[0]++;
                warm[1] += view.anomalous() ? 1 : 0;
                opened[0] += view.transition() == AlertLifecycle.Transition.OPEN ? 1 : 0;
            }
        });
        double share = warm[0] == 0 ? 0 : (double) warm[1] / warm[0];
        double[] sorted =
                scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Result(out, sorted.length, sorted, share, opened[0], decisions);
    }

    /**
     * {@code spec} with unit error scales, no lower tail and a flat prior: how the errors are first
     * measured (its direct channels, hidden from the networks, are kept).
     */
    private static BundleManifest.ScoringSpec uncalibrated(BundleManifest.ScoringSpec spec, int c) {
        double[] ones = new double[c];
        Arrays.fill(ones, 1);
        float[] flat = new float[Reference.SIZE];
        Arrays.fill(flat, 1f);
        return new BundleManifest.ScoringSpec(
                spec.aeErrorSpan(),
                spec.aeHop(),
                new BundleManifest.ErrorScales(ones, ones.clone()),
                new BundleManifest.ErrorScales(ones.clone(), ones.clone()),
                spec.smoothing(),
                List.of(),
                spec.calmSmoothing(),
                new BundleManifest.ReferenceSpec(
                        spec.reference().halfLife(), spec.reference().priorWeight(), flat),
                spec.warmupEvents(),
                spec.normaliserEvents(),
                spec.aeHopPhase(),
                spec.direct());
    }

    /**
     * Channel j's tail factor: per key, the {@link #TAIL_QUANTILE} of its smoothed error ratio over its
     * validation run (error over the key's scale, smoothed as the scorer smooths it); then the median over
     * the keys, so that a few bursty keys do not set it for all; at least 1.
     */
    private static double tail(
            List<List<double[]>> runs,
            List<String> keys,
            Map<String, BundleManifest.ErrorScales> keyScales,
            BundleManifest.ErrorScales global,
            int j,
            boolean lstm,
            double alpha) {
        List<Double> perKey = new ArrayList<>();
        for (int k = 0; k < runs.size(); k++) {
            if (runs.get(k).isEmpty()) {
                continue;
            }
            BundleManifest.ErrorScales scales = keyScales.getOrDefault(keys.get(k), global);
            double scale = lstm ? scales.lstm()[j] : scales.autoencoder()[j];
            double[] smoothed = new double[runs.get(k).size()];
            double level = 1;
            for (int i = 0; i < smoothed.length; i++) {
                level = alpha * runs.get(k).get(i)[j] / scale + (1 - alpha) * level;
                smoothed[i] = level;
            }
            Arrays.sort(smoothed);
            perKey.add(quantile(smoothed, TAIL_QUANTILE));
        }
        double q = quantile(
                perKey.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 0.5);
        return Double.isNaN(q) ? 1 : Math.max(1, q);
    }

    /**
     * Tail factors relative to the network's typical channel (their median over the channels that are not
     * direct), at least 1: channels are
     * evened out against each other, while the two networks keep their median scales (a single channel
     * gets factor 1).
     */
    private static double[] relative(double[] tails, DirectEvidence direct) {
        double typical = typical(tails, direct);
        double[] out = new double[tails.length];
        for (int j = 0; j < tails.length; j++) {
            out[j] = Math.max(1, tails[j] / typical);
        }
        return out;
    }

    /** The tail factor of a network's typical channel: the median over the channels that are not direct. */
    private static double typical(double[] tails, DirectEvidence direct) {
        double[] sorted = java.util.stream.IntStream.range(0, tails.length)
                .filter(j -> !direct.isDirect(j))
                .mapToDouble(j -> tails[j])
                .sorted()
                .toArray();
        return quantile(sorted, 0.5);
    }

    private static double[] medians(List<double[]> rows, int c) {
        double[] out = new double[c];
        for (int j = 0; j < c; j++) {
            int jj = j;
            double[] v = rows.stream().mapToDouble(r -> r[jj]).sorted().toArray();
            out[j] = Math.max(quantile(v, 0.5), 1e-12);
        }
        return out;
    }

    /** Linear-interpolated quantile of sorted values. */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static void run(ScoringModel model, List<String> keys, List<double[][]> series, Replay.Observer observer) {
        try (Scorer scorer = new Scorer(model, Scorer.Settings.defaults())) {
            Replay.run(scorer, keys, series, observer);
        }
    }
}
