package io.vigil.trainer.evaluation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What fraud teams measure a score by, computed one way for every scorer (Vigil and the baselines):
 * the precision-recall curve and its average precision, the ROC curve and its area ({@link RankingMetrics}),
 * recall at a fixed false-positive rate, and card precision@k per day: each day, the accounts ranked by
 * their highest score that day, the share of the top {@code k} that had a fraud that day, averaged over
 * the days (the measure of a team that can check {@code k} cards a day).
 *
 * @param transactions transactions counted
 * @param frauds of them, fraud
 * @param ranking the curves and their areas
 * @param recallAtFpr the largest recall at a false-positive rate of at most {@code fpr}
 * @param cardPrecision card precision@k, the mean over {@code days}
 * @param cardPrecisionBest what a perfect ranking reaches on these days (fraud cards per day, at most k, over k)
 */
public record FraudMetrics(
        long transactions,
        long frauds,
        RankingMetrics ranking,
        double fpr,
        double recallAtFpr,
        int k,
        double cardPrecision,
        double cardPrecisionBest,
        int days) {

    public static final int DEFAULT_K = 100;
    public static final double DEFAULT_FPR = 0.01;
    private static final long DAY = 86_400_000L;

    public double averagePrecision() {
        return ranking.prAuc();
    }

    public double rocAuc() {
        return ranking.rocAuc();
    }

    /**
     * @param scores per transaction, higher is more suspicious
     * @param fraud per transaction
     * @param accounts per transaction, its account (cards are accounts)
     * @param times per transaction, its event time (days are UTC days)
     * @param include which transactions count (null: all)
     */
    public static FraudMetrics of(
            double[] scores, boolean[] fraud, String[] accounts, long[] times, boolean[] include, int k, double fpr) {
        if (k < 1 || !(fpr > 0 && fpr < 1)) {
            throw new IllegalArgumentException(
                    "k must be at least 1 and the false-positive rate in (0, 1); they are " + k + " and " + fpr);
        }
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            n += include == null || include[i] ? 1 : 0;
        }
        double[] s = new double[n];
        boolean[] y = new boolean[n];
        int m = 0;
        long frauds = 0;
        for (int i = 0; i < scores.length; i++) {
            if (include == null || include[i]) {
                s[m] = scores[i];
                y[m++] = fraud[i];
                frauds += fraud[i] ? 1 : 0;
            }
        }
        RankingMetrics ranking = RankingMetrics.of(s, y);
        double recall = 0;
        for (RankingMetrics.Point p : ranking.rocCurve()) {
            if (p.x() <= fpr) {
                recall = Math.max(recall, p.y());
            }
        }
        double[] card = cardPrecision(scores, fraud, accounts, times, include, k);
        return new FraudMetrics(n, frauds, ranking, fpr, recall, k, card[0], card[1], (int) card[2]);
    }

    /** Mean card precision@k over the days, the best reachable, and the number of days. */
    private static double[] cardPrecision(
            double[] scores, boolean[] fraud, String[] accounts, long[] times, boolean[] include, int k) {
        // per day, per card: the highest score and whether it had a fraud
        Map<Long, Map<String, double[]>> days = new HashMap<>();
        for (int i = 0; i < scores.length; i++) {
            if (include != null && !include[i]) {
                continue;
            }
            double[] card = days.computeIfAbsent(Math.floorDiv(times[i], DAY), d -> new HashMap<>())
                    .computeIfAbsent(accounts[i], a -> new double[] {Double.NEGATIVE_INFINITY, 0});
            card[0] = Math.max(card[0], scores[i]);
            card[1] = Math.max(card[1], fraud[i] ? 1 : 0);
        }
        double sum = 0;
        double best = 0;
        for (Map<String, double[]> cards : days.values()) {
            List<Map.Entry<String, double[]>> ranked = new ArrayList<>(cards.entrySet());
            // highest score first; ties by card id, so the figure does not depend on hashing
            ranked.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
                    ? Double.compare(b.getValue()[0], a.getValue()[0])
                    : a.getKey().compareTo(b.getKey()));
            int hits = 0;
            int fraudCards = 0;
            for (int r = 0; r < ranked.size(); r++) {
                boolean f = ranked.get(r).getValue()[1] > 0;
                fraudCards += f ? 1 : 0;
                if (r < k && f) {
                    hits++;
                }
            }
            sum += (double) hits / k;
            best += (double) Math.min(k, fraudCards) / k;
        }
        int d = days.size();
        return new double[] {d == 0 ? 0 : sum / d, d == 0 ? 0 : best / d, d};
    }

    /** The headline numbers, for JSON and tables. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("transactions", transactions);
        m.put("frauds", frauds);
        m.put("averagePrecision", averagePrecision());
        m.put("rocAuc", rocAuc());
        m.put("recallAtFpr", recallAtFpr);
        m.put("fpr", fpr);
        m.put("cardPrecisionAtK", cardPrecision);
        m.put("k", k);
        m.put("cardPrecisionBest", cardPrecisionBest);
        m.put("days", days);
        return m;
    }

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "AP %.3f, ROC AUC %.3f, card precision@%d %.3f (best %.3f),"
                        + " recall at %.0f%% FPR %.3f; %d transactions, %d fraud",
                averagePrecision(),
                rocAuc(),
                k,
                cardPrecision,
                cardPrecisionBest,
                100 * fpr,
                recallAtFpr,
                transactions,
                frauds);
    }
}
