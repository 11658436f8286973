package io.vigil.scoring;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-channel standardisation, (x - mean) / std, fitted on the training part of the history only
 * and shipped inside the model bundle. Channels that never vary get a unit scale.
 */
public final class Normaliser implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final double MIN_STD = 1e-9;

    private final double[] mean;
    private final double[] std;

    public Normaliser(double[] mean, double[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean and std have different lengths: " + mean.length + " vs " + std.length);
        }
        this.mean = mean.clone();
        this.std = std.clone();
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > MIN_STD) || Double.isInfinite(std[i])) {
                this.std[i] = 1.0;
            }
        }
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
        for (int j = 0; j < mean.length; j++) {
            out[offset + j] = (float) ((raw[j] - mean[j]) / std[j]);
        }
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
