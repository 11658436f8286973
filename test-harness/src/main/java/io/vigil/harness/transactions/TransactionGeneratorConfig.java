package io.vigil.harness.transactions;

import java.time.Instant;
import java.util.Objects;

/**
 * What the transaction generator makes. Everything follows from {@code seed}: the same config gives the
 * same transactions, byte for byte.
 *
 * @param accounts accounts, each with its own habits (rate, amounts, hours, merchants, home country)
 * @param days days of transactions, from {@code start}
 * @param start the first day's midnight (UTC)
 * @param merchants merchants in the world (with their country, category and popularity)
 * @param warmupDays no fraud before this day: every account has some history first
 * @param cardTesting card-testing incidents per 1,000 accounts per 30 days
 * @param accountTakeover account takeovers per 1,000 accounts per 30 days
 * @param velocityBurst velocity bursts per 1,000 accounts per 30 days
 * @param compromisedMerchants merchants compromised per 30 days (independent of the number of accounts)
 * @param travel the chance that an account travels abroad once in the period (genuine new countries)
 * @param seed seeds everything
 */
public record TransactionGeneratorConfig(
        int accounts,
        int days,
        Instant start,
        int merchants,
        int warmupDays,
        double cardTesting,
        double accountTakeover,
        double velocityBurst,
        double compromisedMerchants,
        double travel,
        long seed) {

    public static final int DEFAULT_ACCOUNTS = 1000;
    public static final int DEFAULT_DAYS = 90;
    public static final Instant DEFAULT_START = Instant.parse("2026-01-05T00:00:00Z");
    public static final int DEFAULT_MERCHANTS = 3000;
    public static final int DEFAULT_WARMUP_DAYS = 14;
    public static final double DEFAULT_CARD_TESTING = 10;
    public static final double DEFAULT_ACCOUNT_TAKEOVER = 10;
    public static final double DEFAULT_VELOCITY_BURST = 10;
    public static final double DEFAULT_COMPROMISED_MERCHANTS = 2;
    public static final double DEFAULT_TRAVEL = 0.2;

    public TransactionGeneratorConfig {
        Objects.requireNonNull(start, "start");
        if (accounts < 1 || days < 1 || merchants < 50) {
            throw new IllegalArgumentException("the generator needs at least 1 account, 1 day and 50 merchants; got "
                    + accounts + ", " + days + " and " + merchants);
        }
        if (warmupDays < 0 || warmupDays >= days) {
            throw new IllegalArgumentException("warmupDays must be in [0, days = " + days + "), is " + warmupDays);
        }
        for (double rate : new double[] {cardTesting, accountTakeover, velocityBurst, compromisedMerchants}) {
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("fraud rates must be finite and not negative, one is " + rate);
            }
        }
        if (!(travel >= 0 && travel <= 1)) {
            throw new IllegalArgumentException("travel must be a probability, is " + travel);
        }
    }

    public static TransactionGeneratorConfig defaults() {
        return new TransactionGeneratorConfig(
                DEFAULT_ACCOUNTS,
                DEFAULT_DAYS,
                DEFAULT_START,
                DEFAULT_MERCHANTS,
                DEFAULT_WARMUP_DAYS,
                DEFAULT_CARD_TESTING,
                DEFAULT_ACCOUNT_TAKEOVER,
                DEFAULT_VELOCITY_BURST,
                DEFAULT_COMPROMISED_MERCHANTS,
                DEFAULT_TRAVEL,
                1);
    }

    public TransactionGeneratorConfig withAccounts(int n) {
        return new TransactionGeneratorConfig(
                n,
                days,
                start,
                merchants,
                warmupDays,
                cardTesting,
                accountTakeover,
                velocityBurst,
                compromisedMerchants,
                travel,
                seed);
    }

    public TransactionGeneratorConfig withDays(int n) {
        return new TransactionGeneratorConfig(
                accounts,
                n,
                start,
                merchants,
                warmupDays,
                cardTesting,
                accountTakeover,
                velocityBurst,
                compromisedMerchants,
                travel,
                seed);
    }

    public TransactionGeneratorConfig withSeed(long s) {
        return new TransactionGeneratorConfig(
                accounts,
                days,
                start,
                merchants,
                warmupDays,
                cardTesting,
                accountTakeover,
                velocityBurst,
                compromisedMerchants,
                travel,
                s);
    }

    public TransactionGeneratorConfig withMerchants(int n) {
        return new TransactionGeneratorConfig(
                accounts,
                days,
                start,
                n,
                warmupDays,
                cardTesting,
                accountTakeover,
                velocityBurst,
                compromisedMerchants,
                travel,
                seed);
    }

    public TransactionGeneratorConfig withWarmupDays(int n) {
        return new TransactionGeneratorConfig(
                accounts,
                days,
                start,
                merchants,
                n,
                cardTesting,
                accountTakeover,
                velocityBurst,
                compromisedMerchants,
                travel,
                seed);
    }

    /** Incidents of each kind per 1,000 accounts per 30 days, and merchants compromised per 30 days. */
    public TransactionGeneratorConfig withFraud(
            double cardTestingRate, double takeoverRate, double velocityRate, double compromisedRate) {
        return new TransactionGeneratorConfig(
                accounts,
                days,
                start,
                merchants,
                warmupDays,
                cardTestingRate,
                takeoverRate,
                velocityRate,
                compromisedRate,
                travel,
                seed);
    }

    /** The instant {@code day} days after the start. */
    public Instant day(int day) {
        return start.plusSeconds(86_400L * day);
    }
}
