package io.vigil.trainer.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Threshold-free quality of a score: the ROC curve and its area, and the precision-recall curve and
 * its area (average precision, the step-wise integral that does not interpolate optimistically).
 * Tied scores are treated as one threshold.
 */
public final class RankingMetrics {

    /** One point of a curve: x, y and the score threshold that produces it. */
    public record Point(double x, double y, double threshold) {}

    private final List<Point> roc;
    private final List<Point> pr;
    private final double rocAuc;
    private final double prAuc;
    private final long positives;
    private final long negatives;

    private RankingMetrics(
            List<Point> roc, List<Point> pr, double rocAuc, double prAuc, long positives, long negatives) {
        this.roc = roc;
        this.pr = pr;
        this.rocAuc = rocAuc;
        this.prAuc = prAuc;
        this.positives = positives;
        this.negatives = negatives;
    }

    /** Computes both curves; needs at least one positive and one negative label. */
    public static RankingMetrics of(double[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        long p = 0;
        for (boolean l : labels) {
            p += l ? 1 : 0;
        }
        long n = labels.length - p;
        if (p == 0 || n == 0) {
            throw new IllegalArgumentException(
                    "ROC and PR need both normal and anomalous labels; got " + p + " anomalous and " + n + " normal");
        }
        List<Point> roc = new ArrayList<>();
        List<Point> pr = new ArrayList<>();
        roc.add(new Point(0, 0, Double.POSITIVE_INFINITY));
        long tp = 0;
        long fp = 0;
        double auc = 0;
        double ap = 0;
        double prevFpr = 0;
        double prevTpr = 0;
        double prevRecall = 0;
        int i = 0;
        while (i < order.length) {
            double s = scores[order[i]];
            while (i < order.length && scores[order[i]] == s) {
                if (labels[order[i]]) {
                    tp++;
                } else {
                    fp++;
                }
                i++;
            }
            double tpr = (double) tp / p;
            double fpr = (double) fp / n;
            double precision = (double) tp / (tp + fp);
            auc += (fpr - prevFpr) * (tpr + prevTpr) / 2;
            ap += (tpr - prevRecall) * precision;
            roc.add(new Point(fpr, tpr, s));
            pr.add(new Point(tpr, precision, s));
            prevFpr = fpr;
            prevTpr = tpr;
            prevRecall = tpr;
        }
        return new RankingMetrics(List.copyOf(roc), List.copyOf(pr), auc, ap, p, n);
    }

    public double rocAuc() {
        return rocAuc;
    }

    /** Average precision: sum over thresholds of (recall step) x precision. */
    public double prAuc() {
        return prAuc;
    }

    /** (false positive rate, true positive rate) points from (0, 0) to (1, 1). */
    public List<Point> rocCurve() {
        return roc;
    }

    /** (recall, precision) points, by decreasing threshold. */
    public List<Point> prCurve() {
        return pr;
    }

    public long positives() {
        return positives;
    }

    public long negatives() {
        return negatives;
    }

    /** At most {@code max} points of a curve, evenly spaced, always keeping both ends (for reports). */
    public static List<Point> thin(List<Point> curve, int max) {
        if (curve.size() <= max) {
            return curve;
        }
        List<Point> out = new ArrayList<>();
        for (int k = 0; k < max; k++) {
            out.add(curve.get((int) Math.round((double) k * (curve.size() - 1) / (max - 1))));
        }
        return out;
    }
}
