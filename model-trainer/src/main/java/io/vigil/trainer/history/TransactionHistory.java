package io.vigil.trainer.history;

import io.vigil.scoring.FeatureSpec;
import io.vigil.scoring.transactions.Confirmation;
import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.scoring.transactions.TransactionFeatures;
import io.vigil.scoring.transactions.TransactionFeaturizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transactions to train or evaluate on, as read ({@link TransactionHistoryReader}): each transaction,
 * and for labelled history whether it was fraud and, where the file says, which kind.
 *
 * @param fraud per transaction, or null when unlabelled
 * @param patterns per transaction, the kind of fraud (empty for genuine ones), or null when not given
 */
public record TransactionHistory(
        List<TransactionEvent> transactions, boolean[] fraud, String[] patterns, List<String> sources) {

    public TransactionHistory {
        transactions = List.copyOf(transactions);
        if (transactions.isEmpty()) {
            throw new IllegalArgumentException(
                    "A transaction history needs at least one transaction; " + sources + " gave none");
        }
        if (fraud != null && fraud.length != transactions.size()
                || patterns != null && patterns.length != transactions.size()) {
            throw new IllegalArgumentException("one label and pattern per transaction");
        }
        sources = List.copyOf(sources);
    }

    public boolean labelled() {
        return fraud != null;
    }

    /** The transactions before {@code cut} (all when it is MAX_VALUE), labels and patterns kept alongside. */
    public TransactionHistory before(long cut) {
        if (cut == Long.MAX_VALUE) {
            return this;
        }
        List<TransactionEvent> txs = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < transactions.size(); i++) {
            if (transactions.get(i).eventTime() < cut) {
                txs.add(transactions.get(i));
                kept.add(i);
            }
        }
        if (txs.isEmpty()) {
            throw new IllegalArgumentException(
                    "No transaction of " + sources + " is before " + java.time.Instant.ofEpochMilli(cut));
        }
        boolean[] keptFraud = fraud == null ? null : new boolean[txs.size()];
        String[] keptPatterns = patterns == null ? null : new String[txs.size()];
        for (int j = 0; j < kept.size(); j++) {
            if (keptFraud != null) {
                keptFraud[j] = fraud[kept.get(j)];
            }
            if (keptPatterns != null) {
                keptPatterns[j] = patterns[kept.get(j)];
            }
        }
        return new TransactionHistory(txs, keptFraud, keptPatterns, sources);
    }

    /**
     * The history as the networks see it: one series per account, its transactions in order and their
     * feature vectors, labelled where the history is. With {@code features.merchantRisk()}, the frauds
     * are taken as confirmed {@code confirmationDelay} after each happened (needs labels).
     */
    public Featurized featurize(TransactionFeatures features, Duration confirmationDelay) {
        List<Confirmation> confirmed = List.of();
        if (features.merchantRisk()) {
            if (!labelled()) {
                throw new IllegalArgumentException("Merchant risk features need confirmed frauds: the history needs a"
                        + " label column (--label-column)");
            }
            confirmed = TransactionFeaturizer.confirmedAfter(transactions, fraud, confirmationDelay.toMillis());
        }
        Map<TransactionEvent, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < transactions.size(); i++) {
            index.put(transactions.get(i), i);
        }
        List<EntitySeries> series = new ArrayList<>();
        List<int[]> rows = new ArrayList<>();
        for (TransactionFeaturizer.AccountRows a : TransactionFeaturizer.run(features, transactions, confirmed)) {
            int n = a.transactions().size();
            long[] times = new long[n];
            int[] at = new int[n];
            boolean[] labels = labelled() ? new boolean[n] : null;
            for (int i = 0; i < n; i++) {
                times[i] = a.transactions().get(i).eventTime();
                at[i] = index.get(a.transactions().get(i));
                if (labels != null) {
                    labels[i] = fraud[at[i]];
                }
            }
            series.add(new EntitySeries(a.accountId(), times, a.features(), labels, String.join(", ", sources)));
            rows.add(at);
        }
        History h = new History(new FeatureSpec(features.names()), series, sources, History.TRANSACTION);
        return new Featurized(this, h, rows);
    }

    /**
     * A history's feature vectors, and where each row came from.
     *
     * @param rows per series of {@code history} (account order), the index in {@link #transactions()} of each row
     */
    public record Featurized(TransactionHistory source, History history, List<int[]> rows) {

        /** The transaction behind row {@code row} of series {@code series}. */
        public TransactionEvent transaction(int series, int row) {
            return source.transactions().get(rows.get(series)[row]);
        }
    }
}
