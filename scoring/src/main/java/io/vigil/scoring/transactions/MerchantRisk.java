package io.vigil.scoring.transactions;

import java.util.List;

/**
 * What the fraud team has confirmed about a merchant (or terminal), in event time: its transactions
 * and the frauds confirmed there, in daily buckets over the last 30 days. A transaction at the
 * merchant reads the state as it was strictly before its own time, so a fraud counts only from its
 * confirmation on: nothing leaks from the future. A compromised merchant whose transactions look
 * normal for every account shows here, once its first frauds are confirmed.
 *
 * <p>One state per merchant, of a fixed size (about 250 bytes); the job keeps it in keyed state (keyed
 * by merchant), the trainer in a map, both through {@link #process}.
 */
public final class MerchantRisk {

    /** Days the counts cover. */
    public static final int DAYS = 30;
    /**
     * Transactions the share is smoothed with (as if the merchant had this many more, none of them
     * confirmed fraud), so one fraud among a small merchant's few transactions is not read as a
     * compromised merchant.
     */
    public static final double PRIOR_TRANSACTIONS = 20;

    /** The merchant's risk as a transaction there sees it. */
    public record Reading(double share, int frauds) {
        /** What a merchant with no confirmed fraud reads. */
        public static final Reading NONE = new Reading(0, 0);
    }

    /**
     * One event at a merchant at {@code time}: a transaction (gets a reading) or a confirmation (counts a
     * fraud); exactly one of the two is set.
     */
    public record Item(long time, TransactionEvent transaction, Confirmation confirmation)
            implements java.io.Serializable {}

    /** Receives the reading of each transaction. */
    @FunctionalInterface
    public interface Readings {
        void accept(TransactionEvent tx, Reading reading) throws Exception;
    }

    /** A merchant's state: event time of its latest item, transactions and confirmed frauds per day. */
    public static final class State {
        public long lastTime = Long.MIN_VALUE;
        public final TimeBuckets transactions = new TimeBuckets(DAYS, AccountState.DAY);
        public final TimeBuckets frauds = new TimeBuckets(DAYS, AccountState.DAY);

        public int bytes() {
            return 8 + transactions.bytes() + frauds.bytes();
        }
    }

    private MerchantRisk() {}

    /**
     * Processes one merchant's items, sorted by time: every transaction gets the reading of the state as
     * it was before its time (items at the same time do not see each other), then the items of that time
     * are counted. A merchant silent for {@link TransactionFeatures#STATE_TTL} starts afresh, as the job
     * drops its state then.
     */
    public static void process(State s, List<? extends Item> sorted, Readings out) throws Exception {
        int i = 0;
        while (i < sorted.size()) {
            long t = sorted.get(i).time();
            if (s.lastTime != Long.MIN_VALUE && t - s.lastTime > TransactionFeatures.STATE_TTL.toMillis()) {
                s.lastTime = Long.MIN_VALUE;
                s.transactions.clear();
                s.frauds.clear();
            }
            int end = i;
            while (end < sorted.size() && sorted.get(end).time() == t) {
                end++;
            }
            Reading r = read(s, t);
            for (int k = i; k < end; k++) {
                TransactionEvent tx = sorted.get(k).transaction();
                if (tx != null) {
                    out.accept(tx, r);
                }
            }
            for (int k = i; k < end; k++) {
                Item item = sorted.get(k);
                if (item.transaction() != null) {
                    s.transactions.add(t, 0);
                } else if (item.confirmation().fraud()) {
                    s.frauds.add(t, 0);
                }
            }
            s.lastTime = Math.max(s.lastTime, t);
            i = end;
        }
    }

    /** The reading at {@code time} of what the state holds (all of it before that time). */
    static Reading read(State s, long time) {
        if (s.frauds.newest == Long.MIN_VALUE) {
            return Reading.NONE;
        }
        s.frauds.advance(time);
        s.transactions.advance(time);
        int frauds = s.frauds.count(DAYS);
        int transactions = s.transactions.count(DAYS);
        return new Reading(frauds / (transactions + PRIOR_TRANSACTIONS), frauds);
    }

    /** An item of a transaction, at its event time. */
    public static Item of(TransactionEvent tx) {
        return new Item(tx.eventTime(), tx, null);
    }

    /** An item of a confirmation, at its confirmation time. */
    public static Item of(Confirmation c) {
        return new Item(c.confirmedAt(), null, c);
    }
}
