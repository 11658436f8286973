package io.vigil.job.transactions;

import io.vigil.job.io.DeadLetter;
import io.vigil.scoring.transactions.Confirmation;

/**
 * What the transaction pipeline's sources emit per Kafka record: a transaction, a confirmed label, or a
 * dead letter (exactly one is set).
 */
public final class TransactionEnvelope {

    public InboundTransaction transaction;
    public Confirmation confirmation;
    public DeadLetter deadLetter;

    public static TransactionEnvelope of(InboundTransaction t) {
        TransactionEnvelope e = new TransactionEnvelope();
        e.transaction = t;
        return e;
    }

    public static TransactionEnvelope of(Confirmation c) {
        TransactionEnvelope e = new TransactionEnvelope();
        e.confirmation = c;
        return e;
    }

    public static TransactionEnvelope dead(DeadLetter d) {
        TransactionEnvelope e = new TransactionEnvelope();
        e.deadLetter = d;
        return e;
    }
}
