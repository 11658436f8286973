package io.vigil.scoring;

import java.util.List;

/**
 * Scores whole series offline the way the job scores a stream: one key per series, every key's
 * t-th row in the same batch, so the trainer's calibration and evaluation exercise exactly the
 * batched path the job runs. A row's event time is its index in its series, or its own time where
 * the caller gives times (transactions: the alert lifecycle's ids and cool-down then see real time).
 */
public final class Replay {

    private static final int CHUNK = 4096;

    private Replay() {}

    /** Sees every scored row: which series, which row, the key's state after it, and the result. */
    @FunctionalInterface
    public interface Observer {
        void accept(int series, int row, KeyState state, ScoreView view);
    }

    /**
     * Scores {@code series.get(k)} (rows of raw values in feature order, in time order) as key
     * {@code keys.get(k)}, each series from a fresh state (a key may have several series).
     */
    public static void run(Scorer scorer, List<String> keys, List<double[][]> series, Observer observer) {
        run(scorer, keys, series, null, observer);
    }

    /** As {@link #run(Scorer, List, List, Observer)}, row t of series k at event time {@code times.get(k)[t]}. */
    public static void run(
            Scorer scorer, List<String> keys, List<double[][]> series, List<long[]> times, Observer observer) {
        int n = series.size();
        if (keys.size() != n) {
            throw new IllegalArgumentException(keys.size() + " keys for " + n + " series");
        }
        KeyState[] perKey = new KeyState[n];
        int longest = 0;
        for (int k = 0; k < n; k++) {
            perKey[k] = scorer.newState(keys.get(k));
            longest = Math.max(longest, series.get(k).length);
        }
        String[] keyOf = new String[CHUNK];
        KeyState[] stateOf = new KeyState[CHUNK];
        double[][] rows = new double[CHUNK][];
        int[] seriesOf = new int[CHUNK];
        int[] rowOf = new int[CHUNK];
        long[] timeOf = new long[CHUNK];
        int size = 0;
        for (int t = 0; t < longest; t++) {
            for (int k = 0; k < n; k++) {
                if (t < series.get(k).length) {
                    keyOf[size] = keys.get(k);
                    stateOf[size] = perKey[k];
                    rows[size] = series.get(k)[t];
                    seriesOf[size] = k;
                    timeOf[size] = times == null ? t : times.get(k)[t];
                    rowOf[size++] = t;
                    if (size == CHUNK) {
                        flush(scorer, size, keyOf, stateOf, rows, timeOf, seriesOf, rowOf, observer);
                        size = 0;
                    }
                }
            }
        }
        flush(scorer, size, keyOf, stateOf, rows, timeOf, seriesOf, rowOf, observer);
    }

    private static void flush(
            Scorer scorer,
            int size,
            String[] keys,
            KeyState[] states,
            double[][] rows,
            long[] times,
            int[] seriesOf,
            int[] rowOf,
            Observer observer) {
        if (size > 0) {
            scorer.score(
                    size, keys, states, rows, times, (i, v) -> observer.accept(seriesOf[i], rowOf[i], states[i], v));
        }
    }
}
