package io.vigil.job.transactions;

import io.vigil.scoring.transactions.MerchantRisk;
import io.vigil.scoring.transactions.TransactionEvent;

/**
 * A decoded, valid transaction inside the job, with where it came from (its Kafka timestamp, partition
 * and offset, for latency and dead letters) and, once the merchant step has seen it, its merchant's risk.
 * Written by {@link TransactionSerializers.Inbound}.
 */
public final class InboundTransaction {

    public TransactionEvent tx;
    public long ingestTime;
    public int partition;
    public long offset;
    /** The merchant's reading before the transaction; null until the merchant step, and without feedback. */
    public MerchantRisk.Reading risk;

    public InboundTransaction() {}

    public InboundTransaction(TransactionEvent tx, long ingestTime, int partition, long offset) {
        this.tx = tx;
        this.ingestTime = ingestTime;
        this.partition = partition;
        this.offset = offset;
    }

    @Override
    public String toString() {
        return tx + (risk == null ? "" : " risk " + risk);
    }
}
