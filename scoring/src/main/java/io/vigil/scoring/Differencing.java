package io.vigil.scoring;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Which channels the networks see as first differences (this reading minus the key's previous one)
 * instead of as levels. A slow channel (a temperature that drifts over hours) changes little between
 * readings but wanders far beyond the range a short history shows: as a level it looks anomalous long
 * after anything happened, as a difference it is as stationary as a fast one. The trainer and the
 * scorer both go through this class, so the networks are trained on exactly what they are fed.
 *
 * <p>A key's first reading has no previous one: its differences are 0.
 */
public final class Differencing implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Differencing NONE = new Differencing(new int[0], List.of());

    private final int[] channels;
    private final List<String> names;

    private Differencing(int[] channels, List<String> names) {
        this.channels = channels;
        this.names = names;
    }

    public static Differencing none() {
        return NONE;
    }

    /**
     * The named channels of {@code features}; null or empty means none.
     *
     * @throws IllegalArgumentException naming a channel the features do not have, or one twice
     */
    public static Differencing of(FeatureSpec features, List<String> names) {
        if (names == null || names.isEmpty()) {
            return NONE;
        }
        int[] idx = new int[names.size()];
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < idx.length; i++) {
            String n = names.get(i);
            idx[i] = features.indexOf(n);
            if (idx[i] < 0) {
                throw new IllegalArgumentException(
                        "Cannot difference channel '" + n + "': the features are " + features.names());
            }
            if (seen.contains(n)) {
                throw new IllegalArgumentException("Channel '" + n + "' is named twice among the differenced channels");
            }
            seen.add(n);
        }
        return new Differencing(idx, List.copyOf(names));
    }

    public boolean isNone() {
        return channels.length == 0;
    }

    /** The differenced channels' names, in the order given; empty for none. */
    public List<String> names() {
        return names;
    }

    /** Whether channel {@code j} is differenced. */
    public boolean differences(int j) {
        for (int k : channels) {
            if (k == j) {
                return true;
            }
        }
        return false;
    }

    /**
     * The networks' input for row {@code i} of a series of raw rows (a new array; row {@code i} itself
     * when nothing is differenced).
     */
    public double[] input(double[][] rows, int i) {
        if (channels.length == 0) {
            return rows[i];
        }
        double[] out = rows[i].clone();
        for (int j : channels) {
            out[j] = i == 0 ? 0 : rows[i][j] - rows[i - 1][j];
        }
        return out;
    }

    /**
     * The networks' input for one reading of a key, into {@code out}; {@code previous} holds the key's
     * previous raw reading (null before its first) and is returned updated, allocated on the first.
     */
    public double[] input(double[] raw, double[] previous, double[] out, int offset) {
        System.arraycopy(raw, 0, out, offset, raw.length);
        boolean first = previous == null;
        double[] prev = first ? new double[raw.length] : previous;
        for (int j : channels) {
            out[offset + j] = first ? 0 : raw[j] - prev[j];
            prev[j] = raw[j];
        }
        return prev;
    }

    @Override
    public String toString() {
        return channels.length == 0 ? "none" : String.join(", ", names);
    }
}
