package io.vigil.scoring;

import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.ScoringModel;
import java.util.Arrays;

/**
 * The score of one event, defined once.
 *
 * <ol>
 *   <li><b>Evidence.</b> Each channel's squared error of each network, relative to that channel's typical
 *       error ({@link BundleManifest.ErrorScales}: the key's own, or the bundle's), is a ratio that is
 *       about 1 when all is well; each ratio is smoothed (EWMA, the bundle's {@code smoothing}) in its own
 *       units, so a run of moderately large errors adds up while a single huge one still stands out, and
 *       divided by its channel's tail factor ({@code tails}: how far the smoothed ratio goes on normal
 *       data), so a noisy or heavy-tailed channel does not drown the others. For channels whose unusually small errors count ({@code lowerTail}: a
 *       stuck sensor is predicted too well), the raw ratio's smoothed level also counts, inverted. The
 *       evidence is the largest of these, and {@code y = ln(max(evidence, FLOOR))}.</li>
 *   <li><b>Surprise.</b> How improbable y is against the key's own remembered evidence ({@link Reference}):
 *       against everything it did lately ({@code adaptive}), and against what it did while it was normal
 *       ({@code normal}, which learns nothing while an alert is open).</li>
 *   <li><b>Score.</b> {@link Surprise#score} of the surprise against the recent past: continuous, strictly
 *       increasing in how improbable the key's latest errors are for that key, whatever its scale and
 *       noise. The alert's continuation is judged against the normal reference
 *       ({@link AlertLifecycle}).</li>
 * </ol>
 *
 * <p>One instance per (sub-)model and thread; it holds the results of the latest {@link #evaluate}.
 */
public final class SurpriseScore {

    /** Ratios below this count as this: a channel a thousand times calmer than usual is simply calm. */
    public static final double FLOOR = 1e-3;

    private final int c;
    private final boolean[] lower;
    private final boolean anyLower;
    private final double calmAlpha;
    private final double alpha;
    private final double lambda;
    private final float[] prior;
    private final double priorWeight;

    private double y;
    private double surprise;
    private double normalSurprise;
    private double lstmStrength;
    private double aeStrength;
    private final double[] share;
    private final double[] lstmTail;
    private final double[] aeTail;
    private final DirectEvidence direct;

    public SurpriseScore(ScoringModel m) {
        BundleManifest.ScoringSpec spec = m.scoring();
        this.c = m.features().size();
        this.lower = new boolean[c];
        if (spec.lowerTail() != null) {
            for (String ch : spec.lowerTail()) {
                lower[m.features().indexOf(ch)] = true;
            }
        }
        boolean any = false;
        for (boolean b : lower) {
            any |= b;
        }
        this.anyLower = any;
        this.calmAlpha = spec.calmSmoothing();
        this.alpha = spec.smoothing();
        this.lambda = Reference.lambda(spec.reference().halfLife());
        this.prior = spec.reference().prior();
        this.priorWeight = spec.reference().priorWeight();
        this.share = new double[c];
        this.lstmTail = spec.tails().lstm();
        this.aeTail = spec.tails().autoencoder();
        this.direct = DirectEvidence.of(m.features().names(), spec);
    }

    /** The channels whose value is itself evidence; the networks do not see them. */
    public DirectEvidence direct() {
        return direct;
    }

    /** Gives a key whose references are missing (new, or restored from a format without them) their start. */
    public void prepare(KeyState s) {
        KeyState.References r = s.references;
        if (r.adaptive == null || r.adaptive.length != Reference.SIZE) {
            r.adaptive = Reference.start(prior, priorWeight);
            r.normal = r.adaptive.clone();
        }
        if (r.smoothed == null || r.smoothed.length != 2 * c) {
            r.smoothed = new float[2 * c];
            Arrays.fill(r.smoothed, 1f); // the typical level
        }
        if (!anyLower) {
            r.calm = null;
        } else if (r.calm == null || r.calm.length != c) {
            r.calm = new float[c];
            Arrays.fill(r.calm, 1f); // the typical level
        }
    }

    /**
     * Scores one event of key state {@code s}: {@code lstmSquares[from, from + c)} are its LSTM squared
     * errors (standardised units), {@code lstmScales} the key's LSTM error scales, the key's
     * autoencoder ratios are those of its latest reconstruction ({@link KeyState.Memory#aeRatios}), and
     * {@code values} is the event's raw vector, which the {@link #direct} channels are read from.
     */
    public void evaluate(KeyState s, double[] lstmSquares, int from, double[] lstmScales, double[] values) {
        float[] ae = s.memory.aeRatios;
        float[] calm = s.references.calm;
        float[] smoothed = s.references.smoothed;
        double lstmMax = FLOOR;
        double aeMax = FLOOR;
        double directMax = FLOOR;
        for (int j = 0; j < c; j++) {
            if (direct.isDirect(j)) {
                double d = direct.ratio(j, values[j]);
                directMax = Math.max(directMax, d);
                share[j] = Math.max(0, Math.log(d));
                continue;
            }
            double raw = lstmSquares[from + j] / lstmScales[j];
            smoothed[j] = (float) (alpha * raw + (1 - alpha) * smoothed[j]);
            smoothed[c + j] = (float) (alpha * ae[j] + (1 - alpha) * smoothed[c + j]);
            double l = smoothed[j] / lstmTail[j];
            if (lower[j]) {
                calm[j] = (float) (calmAlpha * raw + (1 - calmAlpha) * calm[j]);
                l = Math.max(l, 1 / (calm[j] + FLOOR));
            }
            double a = smoothed[c + j] / aeTail[j];
            lstmMax = Math.max(lstmMax, l);
            aeMax = Math.max(aeMax, a);
            share[j] = Math.max(0, Math.log(Math.max(l, a)));
        }
        lstmStrength = lstmMax;
        aeStrength = aeMax;
        y = Math.log(Math.max(directMax, Math.max(lstmMax, aeMax)));
        double total = 0;
        for (int j = 0; j < c; j++) {
            total += share[j];
        }
        for (int j = 0; j < c; j++) {
            share[j] = total > 0 ? share[j] / total : 1.0 / c;
        }
        KeyState.References r = s.references;
        surprise = Reference.surprise(r.adaptive, y);
        normalSurprise = Reference.surprise(r.normal, y);
    }

    /**
     * Remembers the evaluated event: always in the adaptive reference; in the normal one only when
     * {@code normal} (no alert is open after it, and it did not look anomalous against the normal).
     */
    public void learn(KeyState s, boolean normal) {
        Reference.learn(s.references.adaptive, y, 1, lambda);
        if (normal) {
            Reference.learn(s.references.normal, y, 1, lambda);
        }
    }

    /** What the key does now becomes its normal (an alert open too long for an episode). */
    public void accept(KeyState s) {
        s.references.normal = s.references.adaptive.clone();
    }

    /** {@code ln} of the latest event's evidence. */
    public double evidence() {
        return y;
    }

    /** The latest event's surprise against the key's recent behaviour: the score's raw measure. */
    public double surprise() {
        return surprise;
    }

    /** The latest event's surprise against the key's normal behaviour. */
    public double normalSurprise() {
        return normalSurprise;
    }

    /**
     * Which network's errors were larger: "LSTM", "AUTOENCODER", or "BOTH" when within a factor 2 (a
     * {@link #direct} channel's part shows in its {@link #share}, not here).
     */
    public String firedBy() {
        boolean l = lstmStrength * 2 >= aeStrength;
        boolean a = aeStrength * 2 >= lstmStrength;
        return l && a ? "BOTH" : l ? "LSTM" : "AUTOENCODER";
    }

    /** Channel j's share of the evidence, in [0, 1]; the shares sum to 1. */
    public double share(int j) {
        return share[j];
    }
}
