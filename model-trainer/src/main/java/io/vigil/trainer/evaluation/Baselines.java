package io.vigil.trainer.evaluation;

import io.vigil.scoring.transactions.TransactionEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scores Vigil is measured against, for every transaction of a history: the amount alone, and the
 * amount's z-score against the account's own earlier amounts (mean and standard deviation of every
 * previous transaction of the account, in {@link TransactionEvent#ORDER}; 0 until it has two). Both go
 * through the same {@link FraudMetrics} as Vigil's score.
 */
public final class Baselines {

    public static final String AMOUNT = "amount alone";
    public static final String ACCOUNT_Z_SCORE = "account z-score of the amount";

    private Baselines() {}

    /** Per transaction (in the list's order), its amount. */
    public static double[] amount(List<TransactionEvent> txs) {
        double[] out = new double[txs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = txs.get(i).amount();
        }
        return out;
    }

    /** Per transaction (in the list's order), {@code (amount - mean) / std} of its account's earlier amounts. */
    public static double[] accountZScore(List<TransactionEvent> txs) {
        Integer[] order = new Integer[txs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> TransactionEvent.ORDER.compare(txs.get(a), txs.get(b)));
        Map<String, double[]> welford = new HashMap<>(); // n, mean, sum of squares
        double[] out = new double[txs.size()];
        for (int i : order) {
            TransactionEvent tx = txs.get(i);
            double[] w = welford.computeIfAbsent(tx.accountId(), a -> new double[3]);
            double a = tx.amount();
            if (w[0] >= 2) {
                double std = Math.sqrt(w[2] / (w[0] - 1));
                out[i] = (a - w[1]) / Math.max(std, 1e-6);
            }
            w[0]++;
            double d = a - w[1];
            w[1] += d / w[0];
            w[2] += d * (a - w[1]);
        }
        return out;
    }
}
