package io.vigil.harness.demo;

import io.vigil.harness.transactions.TransactionGeneratorConfig;
import java.nio.file.Path;

/**
 * How big the embedded demo's transaction stream is. The defaults finish in a few minutes on two cores
 * and inject every fraud pattern the generator knows.
 *
 * @param workDir where the broker's log, the model store and the report go
 * @param accounts accounts, each with habits of its own
 * @param days days of transactions: the first {@link TransactionGeneratorConfig#DEFAULT_WARMUP_DAYS} are
 *     fraud-free and train the model, the rest carry the injected frauds
 * @param fraudRate incidents of each per-account pattern (card testing, takeover, velocity burst) per 1,000
 *     accounts per 30 days; compromised merchants come at the generator's default rate
 * @param rate transactions per second the producer sends
 * @param garbageFraction share of extra records that are bad (undecodable, no account, negative amount, ...)
 * @param parallelism Flink parallelism
 * @param maxEpochs training epochs at most (early stopping usually ends sooner)
 * @param seed seed of the generated accounts and frauds
 */
public record TransactionDemoOptions(
        Path workDir,
        int accounts,
        int days,
        double fraudRate,
        double rate,
        double garbageFraction,
        int parallelism,
        int maxEpochs,
        long seed) {

    public TransactionDemoOptions {
        if (accounts < 1 || parallelism < 1 || maxEpochs < 1) {
            throw new IllegalArgumentException("accounts, parallelism and max epochs must be at least 1; they are "
                    + accounts + ", " + parallelism + " and " + maxEpochs);
        }
        if (days <= TransactionGeneratorConfig.DEFAULT_WARMUP_DAYS) {
            throw new IllegalArgumentException("days must be more than the "
                    + TransactionGeneratorConfig.DEFAULT_WARMUP_DAYS + " fraud-free days the model trains on, is "
                    + days);
        }
        if (!(fraudRate > 0) || Double.isInfinite(fraudRate)) {
            throw new IllegalArgumentException("the fraud rate must be positive, is " + fraudRate);
        }
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be positive, is " + rate);
        }
        if (!(garbageFraction >= 0 && garbageFraction < 0.5)) {
            throw new IllegalArgumentException("garbage fraction must be in [0, 0.5), is " + garbageFraction);
        }
    }

    /** What the generator makes of these options. */
    public TransactionGeneratorConfig generator() {
        return TransactionGeneratorConfig.defaults()
                .withAccounts(accounts)
                .withDays(days)
                .withMerchants(Math.max(200, 3 * accounts))
                .withFraud(fraudRate, fraudRate, fraudRate, TransactionGeneratorConfig.DEFAULT_COMPROMISED_MERCHANTS)
                .withSeed(seed);
    }
}
