package io.vigil.job.transactions;

import io.vigil.scoring.transactions.Confirmation;
import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.scoring.transactions.TransactionFeatures;
import io.vigil.scoring.transactions.TransactionFeaturizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The stream both parity tests feed the job: 3,000 transactions of 25 accounts at 12 merchants over 40
 * days, mostly in busy minutes, a fifteenth of them fraud confirmed a week later; each transaction and
 * confirmation arrives up to {@link #LATENESS} after its event time, so arrival order is not time
 * order. {@link #offline} holds the features the trainer's featurizer computes for the whole history.
 */
final class ParityStream {

    static final long T0 = 1_767_571_200_000L; // 2026-01-05T00:00Z
    static final long DAY = 86_400_000L;
    static final long LATENESS = 90_000L; // the watermark's wait: 90 s

    /** One arrival: a transaction or a confirmation, and when it arrives. */
    record Arrival(TransactionEvent tx, Confirmation confirmation, long arrival) {
        long time() {
            return tx != null ? tx.eventTime() : confirmation.confirmedAt();
        }
    }

    final List<TransactionEvent> transactions = new ArrayList<>();
    final List<Confirmation> confirmations;
    final List<Arrival> arrivals = new ArrayList<>();
    final Map<String, double[]> offline = new HashMap<>();

    ParityStream(long seed) {
        Random r = new Random(seed);
        boolean[] fraud = new boolean[3000];
        for (int i = 0; i < fraud.length; i++) {
            String account = "acc-" + r.nextInt(25);
            // busy minutes: most transactions come within a minute of the previous one (another account's or
            // the same's), so many arrive after a later one
            long t = i > 0 && r.nextInt(4) != 0
                    ? transactions.get(i - 1).eventTime() + r.nextInt(60_000)
                    : T0 + (long) (r.nextDouble() * 40 * DAY);
            transactions.add(new TransactionEvent(
                    String.format("t%05d", i),
                    account,
                    t,
                    Math.round(r.nextDouble() * 20000) / 100.0,
                    "EUR",
                    "m-" + r.nextInt(12),
                    r.nextInt(10) == 0 ? "FR" : "DE",
                    "5411",
                    "pos"));
            fraud[i] = r.nextInt(15) == 0;
        }
        confirmations = TransactionFeaturizer.confirmedAfter(transactions, fraud, 7 * DAY);
        for (var rows : TransactionFeaturizer.run(TransactionFeatures.create(true), transactions, confirmations)) {
            for (int i = 0; i < rows.transactions().size(); i++) {
                offline.put(rows.transactions().get(i).transactionId(), rows.features()[i]);
            }
        }
        for (TransactionEvent tx : transactions) {
            arrivals.add(new Arrival(tx, null, tx.eventTime() + (long) (r.nextDouble() * LATENESS)));
        }
        for (Confirmation c : confirmations) {
            arrivals.add(new Arrival(null, c, c.confirmedAt() + (long) (r.nextDouble() * LATENESS)));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::arrival));
    }

    /** Arrivals whose event time is before that of one that arrived earlier. */
    long outOfOrder() {
        long n = 0;
        long latest = Long.MIN_VALUE;
        for (Arrival a : arrivals) {
            n += a.time() < latest ? 1 : 0;
            latest = Math.max(latest, a.time());
        }
        return n;
    }
}
