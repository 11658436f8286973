package io.vigil.scoring.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransactionFeaturesTest {

    /** Monday 2026-03-02 09:00 UTC. */
    static final long MONDAY_9 = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();

    static final long MIN = 60_000L;
    static final long HOUR = 60 * MIN;
    static final long DAY = 24 * HOUR;

    private final TransactionFeatures features = TransactionFeatures.create(false);

    static TransactionEvent tx(String id, long time, double amount, String merchant, String country) {
        return new TransactionEvent(id, "acc-1", time, amount, "EUR", merchant, country, "5411", "pos");
    }

    private double[] next(AccountState s, TransactionEvent tx) {
        double[] out = new double[features.size()];
        features.next(s, tx, null, out);
        return out;
    }

    private static double f(double[] v, TransactionFeature f) {
        return v[TransactionFeatures.names(true).indexOf(f.column())];
    }

    @Test
    void aFirstTransactionIsNewInEverywayAndHasNoTypicalAmount() {
        double[] v = next(new AccountState(), tx("t1", MONDAY_9, 20, "m1", "DE"));

        assertThat(v).hasSize(16);
        assertThat(f(v, TransactionFeature.AMOUNT_LOG)).isCloseTo(Math.log(21), within(1e-12));
        assertThat(f(v, TransactionFeature.AMOUNT_RATIO)).isZero();
        assertThat(f(v, TransactionFeature.GAP_LOG)).isCloseTo(Math.log1p(35 * 24 * 60), within(1e-9));
        assertThat(f(v, TransactionFeature.TX_10M)).isCloseTo(Math.log(2), within(1e-12));
        assertThat(f(v, TransactionFeature.NEW_MERCHANT)).isEqualTo(1);
        assertThat(f(v, TransactionFeature.NEW_COUNTRY)).isEqualTo(1);
        // 09:00 is a quarter of the way round the clock's circle past 03:00... sin(2 pi 9/24)
        assertThat(f(v, TransactionFeature.HOUR_SIN)).isCloseTo(Math.sin(2 * Math.PI * 9 / 24), within(1e-12));
        assertThat(f(v, TransactionFeature.DOW_SIN)).as("Monday is day 0").isCloseTo(0, within(1e-12));
        assertThat(f(v, TransactionFeature.DOW_COS)).isCloseTo(1, within(1e-12));
    }

    @Test
    void amountIsComparedWithTheMedianOfTheAccountsPreviousAmounts() {
        AccountState s = new AccountState();
        double[] amounts = {10, 30, 20, 1000, 15};
        for (int i = 0; i < amounts.length; i++) {
            next(s, tx("t" + i, MONDAY_9 + i * DAY, amounts[i], "m1", "DE"));
        }
        double[] v = next(s, tx("t9", MONDAY_9 + 6 * DAY, 380, "m1", "DE"));
        // previous amounts 10 15 20 30 1000: median 20
        assertThat(f(v, TransactionFeature.AMOUNT_RATIO)).isCloseTo(Math.log(381.0 / 21), within(1e-9));
        assertThat(f(v, TransactionFeature.GAP_LOG))
                .as("two days after day 4")
                .isCloseTo(Math.log1p(2 * 24 * 60), within(1e-9));
        assertThat(f(v, TransactionFeature.NEW_MERCHANT)).isZero();
        assertThat(f(v, TransactionFeature.NEW_COUNTRY)).isZero();
        assertThat(f(v, TransactionFeature.TX_7D))
                .as("days 1..6 are in the last 7")
                .isCloseTo(Math.log1p(6), within(1e-12));
        assertThat(f(v, TransactionFeature.DOW_SIN))
                .as("Sunday")
                .isCloseTo(Math.sin(2 * Math.PI * 6 / 7), within(1e-12));
    }

    @Test
    void aBurstShowsInTheShortWindowsAndItsSpendInTheHour() {
        AccountState s = new AccountState();
        for (int d = 0; d < 10; d++) {
            next(s, tx("d" + d, MONDAY_9 - (10 - d) * DAY, 50, "m" + (d % 3), "DE"));
        }
        double[] v = null;
        for (int i = 0; i < 9; i++) {
            v = next(s, tx("b" + i, MONDAY_9 + i * 25_000L, 1.5, "web-" + i, "DE"));
        }
        // nine transactions within 200 seconds
        assertThat(f(v, TransactionFeature.TX_10M)).isCloseTo(Math.log1p(9), within(1e-12));
        assertThat(f(v, TransactionFeature.TX_1H)).isCloseTo(Math.log1p(9), within(1e-12));
        assertThat(f(v, TransactionFeature.TX_24H))
                .as("the burst, and the day before's transaction 24 h back is out")
                .isCloseTo(Math.log1p(9), within(1e-12));
        assertThat(f(v, TransactionFeature.MERCHANTS_24H)).isCloseTo(Math.log1p(9), within(1e-12));
        // the median of the 18 amounts before the last (ten of 50, eight of 1.5) is 50
        assertThat(f(v, TransactionFeature.SPEND_1H_RATIO)).isCloseTo(Math.log((9 * 1.5 + 1) / 51), within(1e-6));
        assertThat(f(v, TransactionFeature.AMOUNT_RATIO)).isCloseTo(Math.log(2.5 / 51), within(1e-9));
        assertThat(f(v, TransactionFeature.GAP_LOG)).isCloseTo(Math.log1p(25.0 / 60), within(1e-12));
    }

    @Test
    void theTenMinuteWindowIsExactAndTheHourIsInFiveMinuteBuckets() {
        AccountState s = new AccountState();
        next(s, tx("a", MONDAY_9, 5, "m", null));
        double[] v = next(s, tx("b", MONDAY_9 + 10 * MIN, 5, "m", null));
        assertThat(f(v, TransactionFeature.TX_10M))
                .as("exactly 10 minutes back is out")
                .isCloseTo(Math.log1p(1), within(1e-12));
        v = next(s, tx("c", MONDAY_9 + 62 * MIN, 5, "m", null));
        // at 10:02 the hour's 12 buckets are 09:05-10:05: 09:00 is out, 09:10 in
        assertThat(f(v, TransactionFeature.TX_1H)).isCloseTo(Math.log1p(2), within(1e-12));
        v = next(s, tx("d", MONDAY_9 + 69 * MIN, 5, "m", null));
        assertThat(f(v, TransactionFeature.TX_1H))
                .as("09:10-09:15 is the oldest bucket at 10:09")
                .isCloseTo(Math.log1p(3), within(1e-12));
        v = next(s, tx("e", MONDAY_9 + 75 * MIN, 5, "m", null));
        assertThat(f(v, TransactionFeature.TX_1H)).as("and has left at 10:15").isCloseTo(Math.log1p(3), within(1e-12));
        assertThat(f(v, TransactionFeature.NEW_COUNTRY))
                .as("no country: never new")
                .isZero();
    }

    @Test
    void anAccountSilentLongerThanTheTtlStartsAfresh() {
        AccountState s = new AccountState();
        next(s, tx("a", MONDAY_9, 5, "m", "DE"));
        double[] v = next(s, tx("b", MONDAY_9 + 36 * DAY, 500, "m", "DE"));
        assertThat(f(v, TransactionFeature.NEW_MERCHANT)).isEqualTo(1);
        assertThat(f(v, TransactionFeature.AMOUNT_RATIO)).isZero();
        assertThat(s.count).isEqualTo(1);
    }

    @Test
    void theStateHasAFixedSizeAndForgetsTheLeastRecentlyUsedMerchant() {
        AccountState s = new AccountState();
        int bytes = s.bytes();
        next(s, tx("first", MONDAY_9, 5, "m-first", "DE"));
        for (int i = 0; i < AccountState.MERCHANTS; i++) {
            next(s, tx("t" + i, MONDAY_9 + (i + 1) * HOUR, 5, "m" + i, "DE"));
        }
        double[] v = next(s, tx("again", MONDAY_9 + 30 * HOUR, 5, "m-first", "DE"));
        assertThat(f(v, TransactionFeature.NEW_MERCHANT))
                .as("forgotten after 24 other merchants")
                .isEqualTo(1);
        v = next(s, tx("again2", MONDAY_9 + 31 * HOUR, 5, "m" + (AccountState.MERCHANTS - 1), "DE"));
        assertThat(f(v, TransactionFeature.NEW_MERCHANT)).isZero();
        assertThat(s.bytes()).isEqualTo(bytes).isLessThan(1300);
    }

    @Test
    void merchantRiskIsAppendedOnlyWithFeedback() {
        TransactionFeatures withRisk = TransactionFeatures.create(true);
        double[] out = new double[withRisk.size()];
        withRisk.next(new AccountState(), tx("a", MONDAY_9, 5, "m", "DE"), new MerchantRisk.Reading(0.25, 6), out);
        assertThat(out).hasSize(18);
        assertThat(out[16]).isEqualTo(0.25);
        assertThat(out[17]).isCloseTo(Math.log(7), within(1e-12));
        assertThat(TransactionFeatures.of(withRisk.names()).merchantRisk()).isTrue();
        assertThatThrownBy(() -> TransactionFeatures.of(List.of("amount_log", "tx_1h")))
                .hasMessageContaining("are not Vigil's transaction features")
                .hasMessageContaining("merchant_fraud_share");
    }

    @Test
    void theFeaturizerGivesEveryAccountItsTransactionsInOrderWhateverTheInputOrder() {
        Random r = new Random(3);
        List<TransactionEvent> txs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            txs.add(new TransactionEvent(
                    String.format("t%03d", i),
                    "acc-" + (i % 7),
                    MONDAY_9 + r.nextInt(30) * HOUR,
                    r.nextDouble() * 100,
                    "EUR",
                    "m" + r.nextInt(30),
                    r.nextBoolean() ? "DE" : "FR",
                    null,
                    null));
        }
        List<TransactionEvent> shuffled = new ArrayList<>(txs);
        java.util.Collections.shuffle(shuffled, r);
        var a = TransactionFeaturizer.run(features, txs, List.of());
        var b = TransactionFeaturizer.run(features, shuffled, List.of());
        assertThat(a).hasSize(7);
        for (int k = 0; k < a.size(); k++) {
            assertThat(b.get(k).transactions()).isEqualTo(a.get(k).transactions());
            assertThat(b.get(k).features()).isDeepEqualTo(a.get(k).features());
            for (int i = 1; i < a.get(k).transactions().size(); i++) {
                assertThat(TransactionEvent.ORDER.compare(
                                a.get(k).transactions().get(i - 1),
                                a.get(k).transactions().get(i)))
                        .isNegative();
            }
        }
    }

    @Test
    void badTransactionsAreNamedWithWhatIsWrong() {
        assertThat(TransactionEvent.check("t", " ", 5, 1, "m").problem())
                .isEqualTo(TransactionEvent.Problem.MISSING_ACCOUNT);
        assertThat(TransactionEvent.check("t", "a", 5, -1, "m").detail()).contains("not a finite, non-negative number");
        assertThat(TransactionEvent.check("t", "a", 5, Double.NaN, "m").problem())
                .isEqualTo(TransactionEvent.Problem.INVALID_AMOUNT);
        assertThat(TransactionEvent.check("t", "a", 5, Double.POSITIVE_INFINITY, "m")
                        .problem())
                .isEqualTo(TransactionEvent.Problem.INVALID_AMOUNT);
        assertThat(TransactionEvent.check("t", "a", 0, 1, "m").problem()).isEqualTo(TransactionEvent.Problem.BAD_TIME);
        assertThat(TransactionEvent.check("t", "a", 5, 1, "").problem())
                .isEqualTo(TransactionEvent.Problem.MISSING_FIELD);
        assertThat(TransactionEvent.check("t", "a", 5, 0, "m")).isNull();
    }

    @Test
    void theMedianBySelectionIsTheMedianOfTheSortedAmounts() {
        Random r = new Random(5);
        for (int round = 0; round < 20_000; round++) {
            int n = 1 + r.nextInt(AccountState.AMOUNTS);
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                // few distinct amounts in some rounds (an account paying the same again), any in others
                a[i] = round % 3 == 0 ? 5 * r.nextInt(4) : (float) (Math.exp(r.nextGaussian() * 2) * 30);
            }
            float[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + (double) sorted[n / 2]) / 2;
            assertThat(TransactionFeatures.median(a, n))
                    .as("round %d, %d amounts", round, n)
                    .isEqualTo(expected);
        }
    }

    @Test
    void timeBucketsCountAndSumTheEventsOfTheirNewestBuckets() {
        Random r = new Random(11);
        long width = MIN;
        TimeBuckets buckets = new TimeBuckets(12, width);
        List<long[]> events = new ArrayList<>(); // time, amount
        long t = MONDAY_9;
        for (int e = 0; e < 5_000; e++) {
            // gaps from none to past the whole window, so buckets are emptied one by one and all at once
            t += r.nextInt(4) == 0 ? r.nextInt(20) * width : r.nextInt((int) width);
            long amount = 1 + r.nextInt(100);
            buckets.add(t, amount);
            events.add(new long[] {t, amount});
            long newest = Math.floorDiv(t, width);
            for (int k : new int[] {1, 5, 12}) {
                int count = 0;
                double sum = 0;
                for (long[] x : events) {
                    if (Math.floorDiv(x[0], width) > newest - k) {
                        count++;
                        sum += x[1];
                    }
                }
                assertThat(buckets.count(k))
                        .as("event %d, newest %d buckets", e, k)
                        .isEqualTo(count);
                assertThat(buckets.sum(k))
                        .as("event %d, newest %d buckets", e, k)
                        .isEqualTo(sum);
            }
        }
    }
}
