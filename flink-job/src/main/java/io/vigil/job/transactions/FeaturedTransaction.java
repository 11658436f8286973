package io.vigil.job.transactions;

import io.vigil.job.io.SensorEvent;
import io.vigil.scoring.transactions.TransactionEvent;

/**
 * A transaction's feature vector, as the scoring operator scores it: a keyed vector like a sensor
 * reading (key = account, values = {@code TransactionFeatures} in order), plus the transaction itself,
 * which the alert and score records name and explain. Written by {@link TransactionSerializers.Featured}.
 */
public final class FeaturedTransaction extends SensorEvent {

    public TransactionEvent tx;

    public FeaturedTransaction() {}

    public FeaturedTransaction(InboundTransaction in, double[] features) {
        super(in.tx.accountId(), in.tx.eventTime(), features, in.ingestTime, in.partition, in.offset);
        this.tx = in.tx;
    }
}
