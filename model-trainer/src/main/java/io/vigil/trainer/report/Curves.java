package io.vigil.trainer.report;

import io.vigil.trainer.evaluation.RankingMetrics;
import java.util.List;
import java.util.Objects;

/**
 * The overall ROC and precision-recall curves of a report, as {@link RankingMetrics} computes them.
 *
 * @param roc (false positive rate, true positive rate) points from (0, 0) to (1, 1)
 * @param pr (recall, precision) points by decreasing threshold
 * @param prAuc the area under the PR curve; {@link RankingMetrics#prAuc()} gives average precision
 * @param positiveRate the share of anomalous events, the precision of a random detector (NaN if unknown)
 */
public record Curves(
        List<RankingMetrics.Point> roc,
        double rocAuc,
        List<RankingMetrics.Point> pr,
        double prAuc,
        double positiveRate) {

    /** Curves of another scorer, shown beside the report's own under {@code name}. */
    public record Named(String name, Curves curves) {}

    /** Points kept per curve by {@link #of(RankingMetrics)}: plenty for a 400-pixel plot. */
    public static final int POINTS = 400;

    public Curves {
        roc = List.copyOf(Objects.requireNonNull(roc, "roc"));
        pr = List.copyOf(Objects.requireNonNull(pr, "pr"));
        if (roc.isEmpty() || pr.isEmpty()) {
            throw new IllegalArgumentException(
                    "ROC and PR curves need at least one point each; got " + roc.size() + " and " + pr.size());
        }
    }

    /** Both curves of {@code m}, thinned to {@link #POINTS} points each. */
    public static Curves of(RankingMetrics m) {
        return new Curves(
                RankingMetrics.thin(m.rocCurve(), POINTS),
                m.rocAuc(),
                RankingMetrics.thin(m.prCurve(), POINTS),
                m.prAuc(),
                (double) m.positives() / (m.positives() + m.negatives()));
    }
}
