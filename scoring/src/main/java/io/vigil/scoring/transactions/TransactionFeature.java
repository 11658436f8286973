package io.vigil.scoring.transactions;

/**
 * The features of a transaction, each defined once (computed by {@link TransactionFeatures}, put into
 * words by {@link Explanation}). Counts and ratios are logarithms ({@code ln(1 + x)}, {@code ln} of a
 * ratio), so a burst of 9 where 1 is usual and 90 where 10 is usual are equally far from normal, and the
 * networks see numbers of one scale. Windows are in event time and include the transaction itself.
 */
public enum TransactionFeature {
    AMOUNT_LOG("amount_log", "ln(1 + amount)"),
    AMOUNT_RATIO(
            "amount_ratio",
            "ln((amount + 1) / (median of the account's previous " + AccountState.AMOUNTS
                    + " amounts + 1)); 0 for its first transaction"),
    GAP_LOG("gap_log", "ln(1 + minutes since the account's previous transaction); the state TTL for its first"),
    TX_10M("tx_10m", "ln(1 + the account's transactions in the last 10 minutes), exact up to " + AccountState.RECENT),
    TX_1H("tx_1h", "ln(1 + transactions in the last hour), in 5-minute buckets"),
    TX_24H("tx_24h", "ln(1 + transactions in the last 24 hours), in hourly buckets"),
    TX_7D("tx_7d", "ln(1 + transactions in the last 7 days), in daily buckets"),
    SPEND_1H_RATIO("spend_1h_ratio", "ln((amount spent in the last hour + 1) / (the account's median amount + 1))"),
    SPEND_24H_RATIO(
            "spend_24h_ratio",
            "ln((amount spent in the last 24 hours + 1) / (a usual day's spend over the" + " last 30 days + 1))"),
    MERCHANTS_24H(
            "merchants_24h",
            "ln(1 + distinct merchants in the last 24 hours), among the " + AccountState.MERCHANTS
                    + " the account used last"),
    NEW_MERCHANT(
            "new_merchant",
            "1 when the account has not used this merchant lately (among its last " + AccountState.MERCHANTS
                    + "), else 0"),
    NEW_COUNTRY(
            "new_country",
            "1 when the transaction has a country the account has not used lately (among its last "
                    + AccountState.COUNTRIES + "), else 0"),
    HOUR_SIN("hour_sin", "sin(2 pi hour / 24), hour of day in UTC"),
    HOUR_COS("hour_cos", "cos(2 pi hour / 24)"),
    DOW_SIN("dow_sin", "sin(2 pi day / 7), day of week (Monday 0) in UTC"),
    DOW_COS("dow_cos", "cos(2 pi day / 7)"),
    MERCHANT_FRAUD_SHARE(
            "merchant_fraud_share",
            "frauds confirmed at the merchant in the last 30 days / (its"
                    + " transactions in the last 30 days + " + (int) MerchantRisk.PRIOR_TRANSACTIONS
                    + "), known before the"
                    + " transaction (confirmed-fraud feedback only)"),
    MERCHANT_FRAUDS(
            "merchant_frauds",
            "ln(1 + frauds confirmed at the merchant in the last 30 days)" + " (confirmed-fraud feedback only)");

    private final String column;
    private final String definition;

    TransactionFeature(String column, String definition) {
        this.column = column;
        this.definition = definition;
    }

    /** The feature's name in bundles, history and alerts. */
    public String column() {
        return column;
    }

    /** How it is computed, in one sentence. */
    public String definition() {
        return definition;
    }

    /** Whether it needs the confirmed-fraud feedback (a labels topic in the job, a label column in the trainer). */
    public boolean merchantRisk() {
        return this == MERCHANT_FRAUD_SHARE || this == MERCHANT_FRAUDS;
    }

    /** The feature of a name, or null. */
    public static TransactionFeature of(String column) {
        for (TransactionFeature f : values()) {
            if (f.column.equals(column)) {
                return f;
            }
        }
        return null;
    }
}
