package io.vigil.scoring.transactions;

import io.vigil.scoring.ScoreView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Why a transaction scored as it did, in the words an analyst reads ("amount 38x the account's median
 * of 10.85 EUR (expected about 1.2x)", "9 transactions in 10 minutes (expected about 1)", "first
 * transaction at merchant m-17"), built from the features that carried most of the evidence (the
 * scorer's per-channel contributions), each with what the LSTM expected and what arrived. The one place
 * transaction alerts are put into words.
 */
public final class Explanation {

    /** Phrases at most. */
    public static final int MAX_PHRASES = 3;
    /** A feature with at least this share of the evidence is explained. */
    public static final double MIN_CONTRIBUTION = 0.1;

    private Explanation() {}

    /** The phrases for the event {@code v} is scoring (a transaction model's), largest contribution first. */
    public static List<String> of(ScoreView v, TransactionEvent tx) {
        List<String> names = v.features().names();
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            order.add(j);
        }
        order.sort(Comparator.comparingDouble((Integer j) -> v.contribution(j)).reversed());
        Set<String> phrases = new LinkedHashSet<>();
        for (int j : order) {
            if (phrases.size() == MAX_PHRASES || (v.contribution(j) < MIN_CONTRIBUTION && !phrases.isEmpty())) {
                break;
            }
            TransactionFeature f = TransactionFeature.of(names.get(j));
            if (f != null) {
                phrases.add(phrase(f, v.expected(j), v.actual(j), v, tx));
            }
        }
        return List.copyOf(phrases);
    }

    /** One feature in words: what arrived and what was expected, in the feature's own units. */
    static String phrase(TransactionFeature f, double expected, double actual, ScoreView v, TransactionEvent tx) {
        String currency = tx.currency() == null || tx.currency().isBlank() ? "" : " " + tx.currency();
        return switch (f) {
            case AMOUNT_LOG ->
                "amount " + money(tx.amount()) + currency + " (expected about " + money(Math.expm1(expected)) + ")";
            case AMOUNT_RATIO -> {
                double median = (tx.amount() + 1) / Math.exp(actual) - 1;
                yield "amount " + times(Math.exp(actual)) + " the account's median of " + money(median) + currency
                        + " (expected about " + times(Math.exp(expected)) + ")";
            }
            case GAP_LOG ->
                duration(Math.expm1(actual)) + " after the account's previous transaction (expected about "
                        + duration(Math.expm1(expected)) + ")";
            case TX_10M -> count(actual, "transaction") + " in 10 minutes (expected about " + number(expected) + ")";
            case TX_1H -> count(actual, "transaction") + " in the last hour (expected about " + number(expected) + ")";
            case TX_24H ->
                count(actual, "transaction") + " in the last 24 hours (expected about " + number(expected) + ")";
            case TX_7D ->
                count(actual, "transaction") + " in the last 7 days (expected about " + number(expected) + ")";
            case SPEND_1H_RATIO ->
                "spent " + times(Math.exp(actual)) + " the account's median amount in the last hour"
                        + " (expected about " + times(Math.exp(expected)) + ")";
            case SPEND_24H_RATIO ->
                "spent " + times(Math.exp(actual)) + " a usual day's amount in the last 24 hours" + " (expected about "
                        + times(Math.exp(expected)) + ")";
            case MERCHANTS_24H ->
                count(actual, "different merchant") + " in 24 hours (expected about " + number(expected) + ")";
            case NEW_MERCHANT ->
                actual >= 0.5
                        ? "first transaction at merchant " + tx.merchantId()
                                + " (expected one of the account's merchants)"
                        : "merchant " + tx.merchantId() + " is one the account uses (expected a new one)";
            case NEW_COUNTRY ->
                actual >= 0.5
                        ? "first transaction from country " + tx.country()
                                + " (expected one of the account's countries)"
                        : "country " + tx.country() + " is one the account uses (expected a new one)";
            case HOUR_SIN, HOUR_COS ->
                "at " + clock(hourOf(tx.eventTime())) + " UTC (expected around " + clock(expectedHour(v)) + ")";
            case DOW_SIN, DOW_COS ->
                "on a " + DAYS[dayOf(tx.eventTime())] + " (expected around " + DAYS[expectedDay(v)] + ")";
            case MERCHANT_FRAUD_SHARE ->
                "merchant " + tx.merchantId() + ": " + percent(actual)
                        + " of its transactions in 30 days confirmed fraud (at most about " + percent(expected)
                        + " for 99% of normal transactions)";
            case MERCHANT_FRAUDS ->
                "merchant " + tx.merchantId() + ": " + count(actual, "fraud") + " confirmed in 30 days (at most about "
                        + number(expected) + " for 99% of normal transactions)";
        };
    }

    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

    private static double hourOf(long t) {
        return Math.floorMod(t, AccountState.DAY) / (double) AccountState.HOUR;
    }

    private static int dayOf(long t) {
        return (int) Math.floorMod(Math.floorDiv(t, AccountState.DAY) + 3, 7L);
    }

    private static double expectedHour(ScoreView v) {
        double angle = angle(v, TransactionFeature.HOUR_SIN, TransactionFeature.HOUR_COS);
        return angle * 24 / (2 * Math.PI);
    }

    private static int expectedDay(ScoreView v) {
        double angle = angle(v, TransactionFeature.DOW_SIN, TransactionFeature.DOW_COS);
        return (int) Math.floorMod(Math.round(angle * 7 / (2 * Math.PI)), 7L);
    }

    /** The angle in [0, 2 pi) the LSTM's expected sine and cosine point at. */
    private static double angle(ScoreView v, TransactionFeature sin, TransactionFeature cos) {
        List<String> names = v.features().names();
        double a = Math.atan2(v.expected(names.indexOf(sin.column())), v.expected(names.indexOf(cos.column())));
        return a < 0 ? a + 2 * Math.PI : a;
    }

    /** {@code ln(1 + n)} back to n, as a count of {@code unit}s. */
    private static String count(double logCount, String unit) {
        long n = Math.round(Math.expm1(logCount));
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    /** {@code ln(1 + n)} back to n, as an expected number. */
    private static String number(double logCount) {
        double n = Math.max(0, Math.expm1(logCount));
        return n < 10 ? String.format(Locale.ROOT, "%.1f", n) : String.format(Locale.ROOT, "%.0f", n);
    }

    private static String money(double amount) {
        return String.format(Locale.ROOT, "%.2f", Math.max(0, amount));
    }

    private static String times(double ratio) {
        if (ratio >= 10) {
            return String.format(Locale.ROOT, "%.0fx", ratio);
        }
        return ratio >= 0.1 ? String.format(Locale.ROOT, "%.1fx", ratio) : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * Math.max(0, share));
    }

    private static String clock(double hour) {
        int minutes = (int) Math.floorMod(Math.round(hour * 60), 24 * 60L);
        return String.format(Locale.ROOT, "%02d:%02d", minutes / 60, minutes % 60);
    }

    /** Minutes as a person says them: 12 seconds, 4 minutes, 6 hours, 3 days. */
    static String duration(double minutes) {
        double m = Math.max(0, minutes);
        if (m < 1) {
            return Math.round(m * 60) + " seconds";
        }
        if (m < 90) {
            return Math.round(m) + " minutes";
        }
        if (m < 48 * 60) {
            return String.format(Locale.ROOT, "%.0f hours", m / 60);
        }
        return String.format(Locale.ROOT, "%.0f days", m / (24 * 60));
    }
}
