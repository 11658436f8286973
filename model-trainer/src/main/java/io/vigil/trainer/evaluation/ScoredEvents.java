package io.vigil.trainer.evaluation;

import io.vigil.scoring.AlertLifecycle;
import java.util.Arrays;

/**
 * The warm events of an evaluation, in the order they were scored: which row of which series, score,
 * verdict (an alert open), what the event did to its key's alert, label.
 */
final class ScoredEvents {

    private int n;
    private int[] series = new int[1024];
    private int[] row = new int[1024];
    private double[] score = new double[1024];
    private boolean[] anomalous = new boolean[1024];
    private boolean[] label = new boolean[1024];
    private byte[] transition = new byte[1024];

    void add(int seriesIndex, int rowIndex, double s, boolean verdict, AlertLifecycle.Transition t, boolean truth) {
        if (n == series.length) {
            int m = n * 2;
            series = Arrays.copyOf(series, m);
            row = Arrays.copyOf(row, m);
            score = Arrays.copyOf(score, m);
            anomalous = Arrays.copyOf(anomalous, m);
            label = Arrays.copyOf(label, m);
            transition = Arrays.copyOf(transition, m);
        }
        series[n] = seriesIndex;
        row[n] = rowIndex;
        score[n] = s;
        anomalous[n] = verdict;
        label[n] = truth;
        transition[n] = (byte) t.ordinal();
        n++;
    }

    int size() {
        return n;
    }

    int series(int i) {
        return series[i];
    }

    int row(int i) {
        return row[i];
    }

    double score(int i) {
        return score[i];
    }

    boolean anomalous(int i) {
        return anomalous[i];
    }

    boolean label(int i) {
        return label[i];
    }

    AlertLifecycle.Transition transition(int i) {
        return AlertLifecycle.Transition.values()[transition[i]];
    }

    double[] scores() {
        return Arrays.copyOf(score, n);
    }

    boolean[] verdicts() {
        return Arrays.copyOf(anomalous, n);
    }

    boolean[] labels() {
        return Arrays.copyOf(label, n);
    }

    /** The events in time order within each series, series after series (scoring interleaves them). */
    ScoredEvents sortedBySeriesAndRow() {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) -> series[a] != series[b]
                        ? Integer.compare(series[a], series[b])
                        : Integer.compare(row[a], row[b]));
        ScoredEvents out = new ScoredEvents();
        for (int i : order) {
            out.add(series[i], row[i], score[i], anomalous[i], transition(i), label[i]);
        }
        return out;
    }
}
