package io.vigil.scoring.transactions;

import java.io.Serializable;

/**
 * A fraud team's verdict on one transaction, known from {@code confirmedAt} on (a chargeback, an
 * investigation): what the per-merchant risk features count ({@link MerchantRisk}). The job reads them
 * from the confirmed-labels topic; the trainer makes them from a history's label column, each fraud
 * confirmed a fixed delay after the transaction.
 *
 * @param fraud true for a confirmed fraud; a confirmed genuine transaction counts nothing
 */
public record Confirmation(String transactionId, String merchantId, boolean fraud, long confirmedAt)
        implements Serializable {}
