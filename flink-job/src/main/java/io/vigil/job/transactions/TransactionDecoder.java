package io.vigil.job.transactions;

import io.vigil.job.io.AvroPayload;
import io.vigil.job.io.DeadLetter;
import io.vigil.schemas.BoundedMessageDecoder;
import io.vigil.schemas.ConfirmedLabel;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.transactions.Confirmation;
import io.vigil.scoring.transactions.TransactionEvent;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;

/**
 * Turns the bytes of one Kafka record into a valid transaction or confirmed label, or a dead letter with
 * the reason; it never throws, so no input can fail the job. A transaction is checked as the trainer
 * checks a history row ({@link TransactionEvent#check}: an account, an id, a merchant, a finite amount not
 * below 0, a time after 1970), and its time must not be more than {@code maxFuture} ahead of the clock.
 */
public final class TransactionDecoder implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The largest record decoded: a transaction is a few hundred bytes; anything near this is hostile. */
    public static final int MAX_RECORD_BYTES = 64 * 1024;

    private final long maxFutureMillis;
    private final Clock clock;
    private transient BoundedMessageDecoder<Transaction> transactions;
    private transient BoundedMessageDecoder<ConfirmedLabel> labels;

    public TransactionDecoder(Duration maxFuture, Clock clock) {
        this.maxFutureMillis = maxFuture.toMillis();
        this.clock = clock;
    }

    /** A record of the transactions topic. */
    public TransactionEnvelope transaction(
            byte[] key, byte[] value, String topic, int partition, long offset, long timestamp) {
        if (transactions == null) {
            transactions = WireFormat.boundedDecoder(Transaction.class);
        }
        AvroPayload<Transaction> p =
                AvroPayload.decode(transactions, value, MAX_RECORD_BYTES, "a transaction", TransactionDecoder::upgrade);
        if (p.record() == null) {
            return dead(key, value, p.reason(), p.detail(), topic, partition, offset, timestamp);
        }
        Transaction t = p.record();
        long time = t.getEventTime().toEpochMilli();
        TransactionEvent.Invalid bad =
                TransactionEvent.check(t.getTransactionId(), t.getAccountId(), time, t.getAmount(), t.getMerchantId());
        if (bad != null) {
            return dead(key, value, reason(bad.problem()), bad.detail(), topic, partition, offset, timestamp);
        }
        if (time > clock.millis() + maxFutureMillis) {
            return dead(
                    key,
                    value,
                    DeadLetter.BAD_TIMESTAMP,
                    "eventTime " + t.getEventTime() + " is more than " + Duration.ofMillis(maxFutureMillis)
                            + " ahead of the clock",
                    topic,
                    partition,
                    offset,
                    timestamp);
        }
        TransactionEvent tx = TransactionEvent.of(t);
        return TransactionEnvelope.of(new InboundTransaction(tx, timestamp, partition, offset));
    }

    /** A record of the confirmed-labels topic. */
    public TransactionEnvelope label(
            byte[] key, byte[] value, String topic, int partition, long offset, long timestamp) {
        if (labels == null) {
            labels = WireFormat.boundedDecoder(ConfirmedLabel.class);
        }
        AvroPayload<ConfirmedLabel> p =
                AvroPayload.decode(labels, value, MAX_RECORD_BYTES, "a confirmed label", TransactionDecoder::upgrade);
        if (p.record() == null) {
            return dead(key, value, p.reason(), p.detail(), topic, partition, offset, timestamp);
        }
        ConfirmedLabel l = p.record();
        if (l.getMerchantId() == null
                || l.getMerchantId().isBlank()
                || l.getTransactionId() == null
                || l.getTransactionId().isBlank()) {
            return dead(
                    key,
                    value,
                    DeadLetter.MISSING_FIELD,
                    "a confirmed label needs the transaction and merchant ids",
                    topic,
                    partition,
                    offset,
                    timestamp);
        }
        long at = l.getConfirmedAt().toEpochMilli();
        if (at <= 0 || at > clock.millis() + maxFutureMillis) {
            return dead(
                    key,
                    value,
                    DeadLetter.BAD_TIMESTAMP,
                    "confirmedAt " + l.getConfirmedAt() + " is not after 1970" + " or more than "
                            + Duration.ofMillis(maxFutureMillis) + " ahead of the clock",
                    topic,
                    partition,
                    offset,
                    timestamp);
        }
        return TransactionEnvelope.of(new Confirmation(l.getTransactionId(), l.getMerchantId(), l.getFraud(), at));
    }

    static String reason(TransactionEvent.Problem p) {
        return switch (p) {
            case MISSING_ACCOUNT -> DeadLetter.EMPTY_ENTITY;
            case MISSING_FIELD -> DeadLetter.MISSING_FIELD;
            case INVALID_AMOUNT -> DeadLetter.INVALID_VALUE;
            case BAD_TIME -> DeadLetter.BAD_TIMESTAMP;
        };
    }

    private static TransactionEnvelope dead(
            byte[] key,
            byte[] value,
            String reason,
            String detail,
            String topic,
            int partition,
            long offset,
            long timestamp) {
        return TransactionEnvelope.dead(
                new DeadLetter(key, value, reason, detail, topic, partition, offset, timestamp));
    }

    private static String upgrade() {
        return "upgrade the job or the producer";
    }
}
