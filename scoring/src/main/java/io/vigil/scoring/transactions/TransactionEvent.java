package io.vigil.scoring.transactions;

import io.vigil.schemas.Transaction;
import java.io.Serializable;
import java.time.Instant;
import java.util.Comparator;

/**
 * One transaction as Vigil scores it, whoever read it (the trainer from CSV or Avro history, the job
 * from Kafka). What makes it suspicious is its context in the account's recent history, which
 * {@link TransactionFeatures} turns into a vector.
 *
 * @param transactionId unique per transaction: alerts, scores and confirmed labels refer to it
 * @param accountId the account or card, the key of every per-account feature
 * @param eventTime when it happened, epoch milliseconds
 * @param amount non-negative and finite
 * @param currency ISO 4217 code (carried into explanations; amounts are not converted)
 * @param merchantId the merchant or terminal
 * @param country ISO 3166-1 alpha-2, or null when not known
 * @param category merchant category, or null
 * @param channel pos, online, atm, ..., or null
 */
public record TransactionEvent(
        String transactionId,
        String accountId,
        long eventTime,
        double amount,
        String currency,
        String merchantId,
        String country,
        String category,
        String channel)
        implements Serializable {

    /**
     * The order every path processes transactions in: event time, then transaction id. Features are a
     * function of this order, so the trainer and the job, sorting alike, compute the same ones.
     */
    public static final Comparator<TransactionEvent> ORDER =
            Comparator.comparingLong(TransactionEvent::eventTime).thenComparing(TransactionEvent::transactionId);

    /** The transaction a {@link Transaction} record of the wire carries, unchecked (see {@link #check}). */
    public static TransactionEvent of(Transaction t) {
        return new TransactionEvent(
                t.getTransactionId(),
                t.getAccountId(),
                t.getEventTime().toEpochMilli(),
                t.getAmount(),
                t.getCurrency(),
                t.getMerchantId(),
                t.getCountry(),
                t.getMerchantCategory(),
                t.getChannel());
    }

    /** The record this transaction goes on the wire as, and is dead-lettered as. */
    public Transaction toAvro() {
        return Transaction.newBuilder()
                .setTransactionId(transactionId)
                .setAccountId(accountId)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setAmount(amount)
                .setCurrency(currency)
                .setMerchantId(merchantId)
                .setMerchantCategory(category)
                .setChannel(channel)
                .setCountry(country)
                .build();
    }

    /** Why a transaction cannot be scored, for the dead-letter topic or a history file's error. */
    public enum Problem {
        /** No account: nothing to compare it with. */
        MISSING_ACCOUNT,
        /** No transaction id or no merchant. */
        MISSING_FIELD,
        /** Negative, NaN or infinite amount. */
        INVALID_AMOUNT,
        /** An event time at or before 1970. */
        BAD_TIME
    }

    /** A problem and its explanation for a person. */
    public record Invalid(Problem problem, String detail) {}

    /**
     * The one check of a transaction's fields: null when it can be scored, else what is wrong. The job
     * dead-letters what fails it; the trainer refuses a history file with such a row.
     */
    public static Invalid check(
            String transactionId, String accountId, long eventTime, double amount, String merchantId) {
        if (accountId == null || accountId.isBlank()) {
            return new Invalid(Problem.MISSING_ACCOUNT, "the account id is empty");
        }
        if (transactionId == null || transactionId.isBlank()) {
            return new Invalid(Problem.MISSING_FIELD, "the transaction id is empty");
        }
        if (merchantId == null || merchantId.isBlank()) {
            return new Invalid(Problem.MISSING_FIELD, "the merchant id is empty");
        }
        if (!(amount >= 0) || Double.isInfinite(amount)) {
            return new Invalid(Problem.INVALID_AMOUNT, "amount " + amount + " is not a finite, non-negative number");
        }
        if (eventTime <= 0) {
            return new Invalid(Problem.BAD_TIME, "event time " + eventTime + " ms is not after 1970");
        }
        return null;
    }
}
