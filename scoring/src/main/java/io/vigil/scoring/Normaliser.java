package io.vigil.scoring;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-channel standardisation, (x - mean) / std: fitted on the training part of the history and
 * shipped inside the model bundle, or estimated from a new key's first events (Welford). Channels that
 * never vary get a unit scale. The trainer and the scorer both standardise through this class.
 */
public final class Normaliser implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final double MIN_STD = 1e-9;

    private final double[] mean;
    private final double[] std;

    public Normaliser(double[] mean, double[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException(
                    "mean and std have different lengths: " + mean.length + " vs " + std.length);
        }
        this.mean = mean.clone();
        this.std = std.clone();
        for (int i = 0; i < std.length; i++) {
            this.std[i] = usable(std[i]);
        }
    }

    /** A standard deviation fit to divide by: itself, or 1 for a channel that does not vary (or overflowed). */
    static double usable(double std) {
        return std > MIN_STD && !Double.isInfinite(std) ? std : 1.0;
    }

    /** Writes {@code (in[from + j] - mean[j]) / std[j]} for every channel j into {@code out[offset + j]}. */
    public static void standardise(double[] mean, double[] std, double[] in, int from, float[] out, int offset) {
        for (int j = 0; j < mean.length; j++) {
            out[offset + j] = (float) ((in[from + j] - mean[j]) / std[j]);
        }
    }

    /**
     * Uses one of a new key's first events ({@code in[from, from + c)}) to estimate its standardisation
     * (Welford; {@code s.std} holds the sums of squares meanwhile). After {@code needed} events the
     * estimate is fixed ({@code s.samples} becomes -1) and true is returned.
     */
    public static boolean estimate(KeyState.Standardisation s, double[] in, int from, int needed) {
        int n = ++s.samples;
        int c = s.mean.length;
        for (int j = 0; j < c; j++) {
            double d = in[from + j] - s.mean[j];
            s.mean[j] += d / n;
            s.std[j] += d * (in[from + j] - s.mean[j]);
        }
        if (n < needed) {
            return false;
        }
        for (int j = 0; j < c; j++) {
            s.std[j] = usable(Math.sqrt(s.std[j] / (n - 1)));
        }
        s.samples = -1;
        return true;
    }

    /** Fits mean and standard deviation per column of {@code rows[from, to)}. */
    public static Normaliser fit(double[][] rows, int from, int to) {
        if (to - from < 2) {
            throw new IllegalArgumentException("Need at least 2 rows to fit a normaliser, got " + (to - from));
        }
        int c = rows[from].length;
        double[] mean = new double[c];
        double[] m2 = new double[c];
        int n = 0;
        for (int r = from; r < to; r++) {
            n++;
            for (int j = 0; j < c; j++) {
                double d = rows[r][j] - mean[j];
                mean[j] += d / n;
                m2[j] += d * (rows[r][j] - mean[j]);
            }
        }
        double[] std = new double[c];
        for (int j = 0; j < c; j++) {
            std[j] = Math.sqrt(m2[j] / (n - 1));
        }
        return new Normaliser(mean, std);
    }

    public int size() {
        return mean.length;
    }

    /** Writes the standardised {@code raw} into {@code out} (as floats, the models' precision). */
    public void apply(double[] raw, float[] out, int offset) {
        standardise(mean, std, raw, 0, out, offset);
    }

    /** The raw value of channel {@code j} for a standardised value. */
    public double invert(int j, double standardised) {
        return standardised * std[j] + mean[j];
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normaliser n && Arrays.equals(n.mean, mean) && Arrays.equals(n.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }
}
