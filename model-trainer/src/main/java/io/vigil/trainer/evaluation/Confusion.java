package io.vigil.trainer.evaluation;

/**
 * Counts of a binary decision against ground truth, and the rates derived from them. Shared by the
 * trainer's evaluation and the harness's evaluators so every report computes them the same way.
 */
public record Confusion(long tp, long fp, long fn, long tn) {

    public static Confusion of(boolean[] predicted, boolean[] actual) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] && actual[i]) {
                tp++;
            } else if (predicted[i]) {
                fp++;
            } else if (actual[i]) {
                fn++;
            } else {
                tn++;
            }
        }
        return new Confusion(tp, fp, fn, tn);
    }

    public Confusion plus(Confusion o) {
        return new Confusion(tp + o.tp, fp + o.fp, fn + o.fn, tn + o.tn);
    }

    /** TP / (TP + FP); 0 when nothing was predicted positive. */
    public double precision() {
        return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    }

    /** TP / (TP + FN); 0 when there are no positives. */
    public double recall() {
        return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    }

    /** Harmonic mean of precision and recall, TP / (TP + (FP + FN) / 2). */
    public double f1() {
        return tp == 0 ? 0 : tp / (tp + (fp + fn) / 2.0);
    }

    /** False alarm rate FP / (FP + TN), as a fraction. */
    public double falseAlarmRate() {
        return fp + tn == 0 ? 0 : (double) fp / (fp + tn);
    }

    /** Missed alarm rate FN / (FN + TP), as a fraction. */
    public double missedAlarmRate() {
        return fn + tp == 0 ? 0 : (double) fn / (fn + tp);
    }
}
