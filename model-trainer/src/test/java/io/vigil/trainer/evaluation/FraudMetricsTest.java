package io.vigil.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.scoring.transactions.TransactionEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class FraudMetricsTest {

    static final long DAY = 86_400_000L;

    @Test
    void averagePrecisionRocAucAndRecallAtAFalsePositiveRateOfAKnownRanking() {
        // ranked: F G F G G G G G G G (two frauds at ranks 1 and 3, eight genuine)
        double[] scores = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
        boolean[] fraud = {true, false, true, false, false, false, false, false, false, false};
        String[] cards = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
        long[] times = new long[10];
        FraudMetrics m = FraudMetrics.of(scores, fraud, cards, times, null, 2, 0.125);

        assertThat(m.averagePrecision()).isCloseTo(0.5 * 1 + 0.5 * (2.0 / 3), within(1e-12));
        // each fraud outranks 8 and 7 of the 8 genuine: (8 + 7) / 16
        assertThat(m.rocAuc()).isCloseTo(15.0 / 16, within(1e-12));
        // at most 1 false positive of 8 (12.5%): both frauds are above the second genuine one
        assertThat(m.recallAtFpr()).isEqualTo(1.0);
        assertThat(FraudMetrics.of(scores, fraud, cards, times, null, 2, 0.1).recallAtFpr())
                .isEqualTo(0.5);
        // one day; the top 2 cards are a (fraud) and b (genuine)
        assertThat(m.cardPrecision()).isEqualTo(0.5);
        assertThat(m.cardPrecisionBest()).isEqualTo(1.0);
        assertThat(m.days()).isEqualTo(1);
    }

    @Test
    void cardPrecisionRanksEachDaysCardsByTheirHighestScoreAndAveragesTheDays() {
        // day 0: card x has a fraud scored 5 and a genuine 1; card y genuine 9; card z genuine 3
        // day 1: card y fraud 2; card x genuine 8
        double[] scores = {5, 1, 9, 3, 2, 8};
        boolean[] fraud = {true, false, false, false, true, false};
        String[] cards = {"x", "x", "y", "z", "y", "x"};
        long[] times = {0, 100, 200, 300, DAY, DAY + 5};
        FraudMetrics m = FraudMetrics.of(scores, fraud, cards, times, null, 2, 0.5);
        // day 0 top 2: y (9), x (5): one fraud card of 2; day 1 top 2: x (8), y (2): one of 2
        assertThat(m.cardPrecision()).isEqualTo(0.5);
        assertThat(m.days()).isEqualTo(2);
        FraudMetrics top1 = FraudMetrics.of(scores, fraud, cards, times, null, 1, 0.5);
        assertThat(top1.cardPrecision())
                .as("the top card is genuine on both days")
                .isZero();
        assertThat(top1.cardPrecisionBest()).isEqualTo(1.0);
    }

    @Test
    void onlyTheIncludedTransactionsCount() {
        double[] scores = {3, 2, 1};
        boolean[] fraud = {false, true, false};
        FraudMetrics m = FraudMetrics.of(
                scores, fraud, new String[] {"a", "b", "c"}, new long[3], new boolean[] {false, true, true}, 1, 0.5);
        assertThat(m.transactions()).isEqualTo(2);
        assertThat(m.averagePrecision()).isEqualTo(1.0);
        assertThat(m.cardPrecision()).isEqualTo(1.0);
    }

    @Test
    void theZScoreBaselineUsesOnlyTheAccountsEarlierAmounts() {
        List<TransactionEvent> txs = List.of(
                tx("t3", "a", 30, 40),
                tx("t1", "a", 10, 10),
                tx("t2", "a", 20, 20),
                tx("t4", "b", 5, 99),
                tx("t5", "a", 40, 25));
        double[] z = Baselines.accountZScore(txs);
        assertThat(z[1]).as("first of its account").isZero();
        assertThat(z[2]).as("second: one earlier amount has no spread").isZero();
        // t3 at 40: earlier 10 and 20, mean 15, std 7.071
        assertThat(z[0]).isCloseTo((40 - 15) / Math.sqrt(50), within(1e-9));
        // t5 at 25: earlier 10, 20, 40: mean 23.33, std 15.275
        assertThat(z[4])
                .isCloseTo(
                        (25 - 70.0 / 3)
                                / Math.sqrt((Math.pow(10 - 70.0 / 3, 2)
                                                + Math.pow(20 - 70.0 / 3, 2)
                                                + Math.pow(40 - 70.0 / 3, 2))
                                        / 2),
                        within(1e-9));
        assertThat(z[3]).isZero();
        assertThat(Baselines.amount(txs)).containsExactly(40, 10, 20, 99, 25);
    }

    private static TransactionEvent tx(String id, String account, long time, double amount) {
        return new TransactionEvent(id, account, time, amount, "EUR", "m", null, null, null);
    }
}
