package io.vigil.scoring.transactions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a transaction into its feature vector in the context of its account's history: the one
 * definition the trainer (over history, {@link TransactionFeaturizer}) and the job (over the live
 * stream) both run. {@link #next} reads the account's {@link AccountState} as it was before the
 * transaction and then takes the transaction in; called in {@link TransactionEvent#ORDER} on the same
 * transactions, it gives the same vectors bit for bit, whichever path calls it.
 *
 * <p>The vector is {@link TransactionFeature}s in declaration order: the account features, then, when
 * confirmed-fraud feedback is on, the two merchant-risk features ({@link MerchantRisk}). A model's
 * bundle names its features; {@link #of} accepts exactly one of these two lists.
 *
 * <p>Not thread-safe (it keeps scratch space): one per thread.
 */
public final class TransactionFeatures {

    /**
     * An account silent this long in event time is forgotten: its next transaction starts a new state.
     * Longer than the longest window (30 days), so every window is empty by then anyway. The job drops
     * the state after the same silence.
     */
    public static final Duration STATE_TTL = Duration.ofDays(35);

    private static final long TTL_MILLIS = STATE_TTL.toMillis();
    private static final long TEN_MINUTES = 10 * AccountState.MINUTE;

    private final List<String> names;
    private final boolean merchantRisk;
    private final float[] scratch = new float[AccountState.AMOUNTS];

    private TransactionFeatures(boolean merchantRisk) {
        this.merchantRisk = merchantRisk;
        this.names = names(merchantRisk);
    }

    /** The features without ({@code false}) or with confirmed-fraud feedback. */
    public static TransactionFeatures create(boolean merchantRisk) {
        return new TransactionFeatures(merchantRisk);
    }

    /**
     * The definitions of a model's feature list (a bundle's {@code features}).
     *
     * @throws IllegalArgumentException saying which lists are known, when {@code names} is neither
     */
    public static TransactionFeatures of(List<String> names) {
        if (names.equals(names(false))) {
            return new TransactionFeatures(false);
        }
        if (names.equals(names(true))) {
            return new TransactionFeatures(true);
        }
        throw new IllegalArgumentException("The features " + names + " are not Vigil's transaction features: a"
                + " transaction model has " + names(false) + ", or with confirmed-fraud feedback also "
                + names(true).subList(names(false).size(), names(true).size()));
    }

    /** Whether {@code names} is one of the transaction feature lists. */
    public static boolean isTransactionModel(List<String> names) {
        return names.equals(names(false)) || names.equals(names(true));
    }

    /** The feature names in vector order. */
    public static List<String> names(boolean merchantRisk) {
        List<String> out = new ArrayList<>();
        for (TransactionFeature f : TransactionFeature.values()) {
            if (merchantRisk || !f.merchantRisk()) {
                out.add(f.column());
            }
        }
        return List.copyOf(out);
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    /** Whether the vector ends with the merchant-risk features, which need confirmed-fraud feedback. */
    public boolean merchantRisk() {
        return merchantRisk;
    }

    /**
     * The names of the merchant-risk features among {@link #names()} (none without feedback): the
     * trainer makes them direct evidence ({@code io.vigil.scoring.DirectEvidence}).
     */
    public List<String> merchantRiskNames() {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (TransactionFeature.of(name).merchantRisk()) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * Writes the features of {@code tx} into {@code out} (in {@link #names()} order) from the account's
     * state before it, then adds {@code tx} to the state. {@code risk} is the merchant's reading before
     * the transaction ({@link MerchantRisk#read}); it is used only when {@link #merchantRisk()}.
     */
    public void next(AccountState s, TransactionEvent tx, MerchantRisk.Reading risk, double[] out) {
        long t = tx.eventTime();
        if (s.lastTime != Long.MIN_VALUE && t - s.lastTime > TTL_MILLIS) {
            s.reset(); // silent past the TTL: what the job would have dropped, the history forgets too
        }
        if (s.lastTime != Long.MIN_VALUE && t < s.lastTime) {
            t = s.lastTime; // never happens in event-time order; keeps the windows sane if it does
        }
        double amount = tx.amount();
        double median = median(s);
        double gapMinutes = s.lastTime == Long.MIN_VALUE
                ? TTL_MILLIS / (double) AccountState.MINUTE
                : (t - s.lastTime) / (double) AccountState.MINUTE;
        int minute = (int) Math.floorDiv(t, AccountState.MINUTE);
        boolean newMerchant = AccountState.use(s.merchants, s.merchantSeen, AccountState.hash(tx.merchantId()), minute);
        boolean newCountry = tx.country() != null
                && !tx.country().isBlank()
                && AccountState.use(s.countries, s.countrySeen, AccountState.hash(tx.country()), minute);
        s.recent[(int) (s.count % AccountState.RECENT)] = t;
        s.amounts[(int) (s.count % AccountState.AMOUNTS)] = (float) amount;
        s.count++;
        s.lastTime = t;
        s.minutes.add(t, amount);
        s.hours.add(t, amount);
        s.days.add(t, amount);

        int i = 0;
        out[i++] = Math.log1p(amount);
        out[i++] = Double.isNaN(median) ? 0 : Math.log((amount + 1) / (median + 1));
        out[i++] = Math.log1p(gapMinutes);
        out[i++] = Math.log1p(recentSince(s, t - TEN_MINUTES));
        out[i++] = Math.log1p(s.minutes.count(12));
        out[i++] = Math.log1p(s.hours.count(24));
        out[i++] = Math.log1p(s.days.count(7));
        double typical = Double.isNaN(median) ? amount : median;
        out[i++] = Math.log((s.minutes.sum(12) + 1) / (typical + 1));
        out[i++] = Math.log((s.hours.sum(24) + 1) / (s.days.sum(30) / 30 + 1));
        out[i++] = Math.log1p(AccountState.usedAfter(s.merchantSeen, minute - 24 * 60));
        out[i++] = newMerchant ? 1 : 0;
        out[i++] = newCountry ? 1 : 0;
        double hour = Math.floorMod(t, AccountState.DAY) / (double) AccountState.HOUR;
        out[i++] = Math.sin(2 * Math.PI * hour / 24);
        out[i++] = Math.cos(2 * Math.PI * hour / 24);
        int dow = (int) Math.floorMod(Math.floorDiv(t, AccountState.DAY) + 3, 7L); // 1970-01-01 was a Thursday
        out[i++] = Math.sin(2 * Math.PI * dow / 7);
        out[i++] = Math.cos(2 * Math.PI * dow / 7);
        if (merchantRisk) {
            out[i++] = risk.share();
            out[i++] = Math.log1p(risk.frauds());
        }
    }

    /** Median of the account's remembered amounts before this transaction, or NaN before its first. */
    private double median(AccountState s) {
        int n = (int) Math.min(s.count, AccountState.AMOUNTS);
        if (n == 0) {
            return Double.NaN;
        }
        System.arraycopy(s.amounts, 0, scratch, 0, n);
        return median(scratch, n);
    }

    /**
     * The median of {@code a[0..n)} (n at least 1; reordered): the middle value, or the mean of the two
     * middle ones, as sorting would find them, by selection instead of a sort (a transaction's features
     * are computed per transaction, and sorting its account's amounts was most of their cost).
     */
    static double median(float[] a, int n) {
        int k = n / 2;
        float upper = select(a, n, k);
        if (n % 2 == 1) {
            return upper;
        }
        float lower = a[0];
        for (int i = 1; i < k; i++) {
            lower = Math.max(lower, a[i]);
        }
        return (lower + (double) upper) / 2;
    }

    /**
     * Puts the {@code k}-th smallest of {@code a[0..n)} at {@code a[k]}, the ones before it no larger and the
     * ones after no smaller, and returns it (quickselect, the median of three as pivot).
     */
    private static float select(float[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < a[lo]) {
                swap(a, mid, lo);
            }
            if (a[hi] < a[lo]) {
                swap(a, hi, lo);
            }
            if (a[mid] < a[hi]) {
                swap(a, mid, hi); // a[lo] <= a[hi] <= a[mid]: the pivot a[hi] is the median of the three
            }
            float pivot = a[hi];
            int store = lo;
            for (int i = lo; i < hi; i++) {
                if (a[i] < pivot) {
                    swap(a, i, store++);
                }
            }
            swap(a, store, hi);
            if (store == k) {
                return a[k];
            }
            if (store < k) {
                lo = store + 1;
            } else {
                hi = store - 1;
            }
        }
        return a[k];
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Remembered transactions after {@code since} (the current one is already in). */
    private static int recentSince(AccountState s, long since) {
        int n = (int) Math.min(s.count, AccountState.RECENT);
        int found = 0;
        for (int k = 0; k < n; k++) {
            if (s.recent[k] > since) {
                found++;
            }
        }
        return found;
    }
}
