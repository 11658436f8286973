package io.vigil.scoring;

import io.vigil.scoring.bundle.BundleManifest;
import java.util.Arrays;
import java.util.List;

/**
 * Channels whose value is itself evidence, not something the networks predict: a transaction's
 * merchant risk (the share of confirmed frauds there) says how suspicious the transaction is, while no
 * network can predict where an account shops next. Fed to the networks, such a channel is noise in
 * their inputs (rare large values that the networks never learnt), and its prediction error, divided by
 * a typical error that is 0 for most keys, drowns the account's own evidence.
 *
 * <p>So a direct channel is hidden from the networks (its standardised input is always 0, in training
 * and scoring alike, through {@link #hide}), and its evidence is its value over its normal level (the
 * value 99% of normal validation events stay under, at least its smallest positive value there), times
 * {@link #WEIGHT} times the evidence the networks' typical channel reaches at its own 99th percentile on
 * the same data ({@link #ratio}). The ratio then competes for the event's evidence with the networks'
 * ratios ({@link SurpriseScore}), and is judged against the key's remembered evidence like them.
 */
public final class DirectEvidence {

    /**
     * How much more a direct channel at its normal level counts than the networks' typical channel at its
     * 99th percentile. A confirmed fraud at the merchant is about the transaction itself, where a network's
     * error is only unusual behaviour; chosen on the transaction generator's tuning seed (1) from
     * {1, 10, 100, 10000}: 10 gave the highest average precision over all frauds with every fraud pattern
     * above both baselines. A later grid on seeds 1 and 4 found 30 also passing on seed 1 with more
     * average precision but weaker takeovers, and no value passing on seed 4; 10 was kept
     * (docs/benchmarks/transactions-2026-12-08.md).
     */
    public static final double WEIGHT = 10;

    /** The quantile of a channel's values on normal validation rows that becomes its normal level. */
    public static final double QUANTILE = 0.99;

    /**
     * The normal level of a channel that is never positive on normal data: any positive value is far
     * beyond normal (a merchant with a confirmed fraud, where no genuine transaction ever met one).
     */
    public static final double NO_POSITIVE_LEVEL = 1e-6;

    private static final DirectEvidence NONE = new DirectEvidence(new boolean[0], new double[0], 1);

    private final boolean[] direct;
    private final double[] levels;
    private final double atLevel;

    private DirectEvidence(boolean[] direct, double[] levels, double atLevel) {
        this.direct = direct;
        this.levels = levels;
        this.atLevel = atLevel;
    }

    /**
     * The direct channels of a bundle's scoring section, by their place in {@code features}.
     *
     * @throws IllegalArgumentException when the section names a channel the features do not have
     */
    public static DirectEvidence of(List<String> features, BundleManifest.ScoringSpec spec) {
        BundleManifest.DirectSpec d = spec.direct();
        if (d == null) {
            return NONE;
        }
        boolean[] mask = new boolean[features.size()];
        double[] levels = new double[features.size()];
        d.levels().forEach((name, level) -> {
            int j = features.indexOf(name);
            if (j < 0) {
                throw new IllegalArgumentException(
                        "scoring.direct names channel '" + name + "', which is not among the features " + features);
            }
            mask[j] = true;
            levels[j] = level;
        });
        return new DirectEvidence(mask, levels, d.evidenceAtLevel());
    }

    /** Whether any channel is direct. */
    public boolean any() {
        return direct.length > 0; // a mask only where a DirectSpec names at least one channel
    }

    /** Whether channel j is direct. */
    public boolean isDirect(int j) {
        return any() && direct[j];
    }

    /** Channel j's normal level (0 for a channel that is not direct). */
    public double level(int j) {
        return any() ? levels[j] : 0;
    }

    /** Channel j's evidence ratio for raw value {@code value}: 0 for values at or below 0. */
    public double ratio(int j, double value) {
        return atLevel * Math.max(0, value) / levels[j];
    }

    /** Zeroes the direct channels of the standardised vector at {@code out[offset, offset + c)}. */
    public void hide(float[] out, int offset) {
        if (!any()) {
            return;
        }
        for (int j = 0; j < direct.length; j++) {
            if (direct[j]) {
                out[offset + j] = 0f;
            }
        }
    }

    /**
     * The normal level of a direct channel from its values on normal validation rows: their
     * {@link #QUANTILE} quantile, at least the smallest positive value among them; {@link #NO_POSITIVE_LEVEL}
     * when none is positive.
     */
    public static double level(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double smallestPositive = Double.NaN;
        for (double v : sorted) {
            if (v > 0) {
                smallestPositive = v;
                break;
            }
        }
        if (Double.isNaN(smallestPositive)) {
            return NO_POSITIVE_LEVEL;
        }
        return Math.max(Calibrator.quantile(sorted, QUANTILE), smallestPositive);
    }
}
