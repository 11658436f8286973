package io.vigil.job.transactions;

import io.vigil.scoring.transactions.Confirmation;

/**
 * What the merchant step holds until the watermark passes it, keyed by merchant: a transaction there or
 * a confirmed label of one (exactly one is set), at its event time (a label's is its confirmation time).
 */
public final class MerchantItem {

    public InboundTransaction transaction;
    public Confirmation confirmation;

    public MerchantItem() {}

    public static MerchantItem of(InboundTransaction t) {
        MerchantItem i = new MerchantItem();
        i.transaction = t;
        return i;
    }

    public static MerchantItem of(Confirmation c) {
        MerchantItem i = new MerchantItem();
        i.confirmation = c;
        return i;
    }

    public String merchant() {
        return transaction != null ? transaction.tx.merchantId() : confirmation.merchantId();
    }

    public long time() {
        return transaction != null ? transaction.tx.eventTime() : confirmation.confirmedAt();
    }
}
