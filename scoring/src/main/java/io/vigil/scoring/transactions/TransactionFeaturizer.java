package io.vigil.scoring.transactions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The features of a whole history at once, as the job computes them one transaction at a time: the
 * merchants' risk over all transactions and confirmations in time order (when feedback is on), then
 * each account's transactions in {@link TransactionEvent#ORDER} through {@link TransactionFeatures}.
 * The trainer fits and evaluates on what this returns.
 */
public final class TransactionFeaturizer {

    /** One account's transactions in processing order and their feature vectors. */
    public record AccountRows(String accountId, List<TransactionEvent> transactions, double[][] features) {}

    private TransactionFeaturizer() {}

    /**
     * @param transactions in any order
     * @param confirmations the fraud team's verdicts (used only when {@code features} has merchant risk)
     * @return per account (sorted by account id), its transactions in order with their features
     */
    public static List<AccountRows> run(
            TransactionFeatures features, List<TransactionEvent> transactions, List<Confirmation> confirmations) {
        Map<TransactionEvent, MerchantRisk.Reading> risk =
                features.merchantRisk() ? merchantReadings(transactions, confirmations) : Map.of();
        Map<String, List<TransactionEvent>> byAccount = new TreeMap<>();
        for (TransactionEvent tx : transactions) {
            byAccount.computeIfAbsent(tx.accountId(), k -> new ArrayList<>()).add(tx);
        }
        List<AccountRows> out = new ArrayList<>(byAccount.size());
        for (Map.Entry<String, List<TransactionEvent>> e : byAccount.entrySet()) {
            List<TransactionEvent> txs = e.getValue();
            txs.sort(TransactionEvent.ORDER);
            AccountState state = new AccountState();
            double[][] rows = new double[txs.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = new double[features.size()];
                features.next(state, txs.get(i), risk.get(txs.get(i)), rows[i]);
            }
            out.add(new AccountRows(e.getKey(), List.copyOf(txs), rows));
        }
        return out;
    }

    /** Each transaction's merchant reading: per merchant, its transactions and confirmations in time order. */
    private static Map<TransactionEvent, MerchantRisk.Reading> merchantReadings(
            List<TransactionEvent> transactions, List<Confirmation> confirmations) {
        Map<String, List<MerchantRisk.Item>> byMerchant = new HashMap<>();
        for (TransactionEvent tx : transactions) {
            byMerchant.computeIfAbsent(tx.merchantId(), k -> new ArrayList<>()).add(MerchantRisk.of(tx));
        }
        for (Confirmation c : confirmations) {
            byMerchant.computeIfAbsent(c.merchantId(), k -> new ArrayList<>()).add(MerchantRisk.of(c));
        }
        Map<TransactionEvent, MerchantRisk.Reading> readings = new IdentityHashMap<>();
        for (List<MerchantRisk.Item> items : byMerchant.values()) {
            items.sort((a, b) -> Long.compare(a.time(), b.time()));
            try {
                MerchantRisk.process(new MerchantRisk.State(), items, readings::put);
            } catch (Exception e) {
                throw new IllegalStateException(e); // readings::put throws nothing
            }
        }
        return readings;
    }

    /**
     * The confirmations a labelled history stands for: each fraud confirmed {@code delayMillis} after its
     * transaction, as the trainer assumes the fraud team does.
     *
     * @param fraud per transaction (same order as {@code transactions}), whether it is labelled fraud
     */
    public static List<Confirmation> confirmedAfter(
            List<TransactionEvent> transactions, boolean[] fraud, long delayMillis) {
        List<Confirmation> out = new ArrayList<>();
        for (int i = 0; i < transactions.size(); i++) {
            if (fraud[i]) {
                TransactionEvent tx = transactions.get(i);
                out.add(new Confirmation(tx.transactionId(), tx.merchantId(), true, tx.eventTime() + delayMillis));
            }
        }
        return out;
    }
}
